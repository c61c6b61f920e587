require ["envelope","fileinto"];
# rule:[Enveloppe]
if envelope :domain :is "from" "biogroup.mssante.fr"
{
	fileinto "INBOX/Résultats";
}
