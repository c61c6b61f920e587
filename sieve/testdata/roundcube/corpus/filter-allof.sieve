require ["fileinto"];
# rule:[Tous]
if allof (header :contains "subject" "résultats", address :domain :is "from" "biogroup.mssante.fr")
{
	fileinto "INBOX/Résultats";
}
