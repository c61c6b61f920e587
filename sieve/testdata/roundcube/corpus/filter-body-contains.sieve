require ["body","fileinto"];
# rule:[Corps]
if body :text :contains "compte rendu"
{
	fileinto "INBOX/Résultats";
}
