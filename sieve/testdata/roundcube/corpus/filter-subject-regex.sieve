require ["fileinto","regex"];
# rule:[Résultats]
if header :regex "subject" "^(Re|TR|Fwd): .*(IRM|ordonnance)"
{
	fileinto "INBOX/Résultats";
}
