require ["envelope","fileinto"];
# rule:[Enveloppe]
if envelope :is "from" "resultats@biogroup.mssante.fr"
{
	fileinto "INBOX/Résultats";
}
