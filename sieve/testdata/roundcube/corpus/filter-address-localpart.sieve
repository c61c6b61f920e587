require ["fileinto"];
# rule:[Adresse]
if address :localpart :is "from" "dr.martin"
{
	fileinto "INBOX/Résultats";
}
