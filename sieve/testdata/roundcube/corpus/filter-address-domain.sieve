require ["fileinto"];
# rule:[Adresse]
if address :domain :is "from" "chu-nantes.mssante.fr"
{
	fileinto "INBOX/Résultats";
}
