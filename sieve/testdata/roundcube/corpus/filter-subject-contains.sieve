require ["fileinto"];
# rule:[Résultats]
if header :contains "subject" "résultats"
{
	fileinto "INBOX/Résultats";
}
