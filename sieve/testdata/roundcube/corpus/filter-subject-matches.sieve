require ["fileinto"];
# rule:[Résultats]
if header :matches "subject" "Résultats*IRM"
{
	fileinto "INBOX/Résultats";
}
