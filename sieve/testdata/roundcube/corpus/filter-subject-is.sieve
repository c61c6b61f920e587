require ["fileinto"];
# rule:[Résultats]
if header :is "subject" "Résultats IRM"
{
	fileinto "INBOX/Résultats";
}
