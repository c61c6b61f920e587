require ["fileinto"];
# rule:[Dr Martin]
if header :is "from" "dr.martin@chu-nantes.mssante.fr"
{
	fileinto "INBOX/Résultats";
}
