require ["fileinto"];
# rule:[Résultats]
if not header :matches "subject" "Résultats*IRM"
{
	fileinto "INBOX/Résultats";
}
