require ["fileinto"];
# rule:[Un]
if anyof (header :contains "subject" "résultats", header :contains "subject" "compte rendu")
{
	fileinto "INBOX/Résultats";
}
