require ["fileinto","subaddress"];
# rule:[Sous-adresse]
if address :detail :is "to" "labo"
{
	fileinto "INBOX/Résultats";
}
