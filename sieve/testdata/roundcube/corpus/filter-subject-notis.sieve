require ["fileinto"];
# rule:[Résultats]
if not header :is "subject" "Résultats IRM"
{
	fileinto "INBOX/Résultats";
}
