require ["fileinto"];
# rule:[Résultats]
if exists "subject"
{
	fileinto "INBOX/Résultats";
}
