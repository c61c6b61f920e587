require ["fileinto"];
# rule:[Copie]
if header :contains ["to","cc"] "secretariat"
{
	fileinto "INBOX/Résultats";
}
