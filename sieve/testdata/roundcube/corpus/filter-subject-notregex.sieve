require ["fileinto","regex"];
# rule:[Résultats]
if not header :regex "subject" "^(Re|TR|Fwd): .*(IRM|ordonnance)"
{
	fileinto "INBOX/Résultats";
}
