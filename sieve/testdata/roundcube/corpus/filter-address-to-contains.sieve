require ["fileinto"];
# rule:[Adresse]
if address :contains ["to","cc"] "secretariat"
{
	fileinto "INBOX/Résultats";
}
