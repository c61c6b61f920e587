require ["fileinto"];
# rule:[Dr Martin]
if header :contains "from" "dr.martin@chu-nantes.mssante.fr"
{
	fileinto "INBOX/Résultats";
}
