require ["fileinto"];
# rule:[Adresse]
if address :is "from" "dr.martin@chu-nantes.mssante.fr"
{
	fileinto "INBOX/Résultats";
}
