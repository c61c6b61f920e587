require ["fileinto"];
# rule:[Résultats]
if not header :contains "subject" "résultats"
{
	fileinto "INBOX/Résultats";
}
