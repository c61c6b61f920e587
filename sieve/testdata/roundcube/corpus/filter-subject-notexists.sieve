require ["fileinto"];
# rule:[Résultats]
if not exists "subject"
{
	fileinto "INBOX/Résultats";
}
