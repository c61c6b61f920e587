require ["fileinto","imap4flags"];
# rule:[Classer]
if true
{
	fileinto "Urgences";
}
# rule:[Drapeau]
if true
{
	addflag "\\Seen";
}
