require ["fileinto","subaddress"];
# rule:[Sous-adresse]
if address :user :is "to" "jean.dupont"
{
	fileinto "INBOX/Résultats";
}
