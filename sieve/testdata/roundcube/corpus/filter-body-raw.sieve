require ["body","fileinto"];
# rule:[Corps]
if body :raw :contains "compte rendu"
{
	fileinto "INBOX/Résultats";
}
