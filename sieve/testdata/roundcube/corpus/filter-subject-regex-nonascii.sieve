require ["fileinto","regex"];
# rule:[Résultats]
if header :regex "subject" "^R[ée]sultats"
{
	fileinto "INBOX/Résultats";
}
