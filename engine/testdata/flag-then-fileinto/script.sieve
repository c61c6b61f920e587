require ["fileinto","imap4flags"];
# rule:[Drapeau]
if true
{
	addflag ["\\Flagged","$Urgent"];
}
# rule:[Classer]
if true
{
	fileinto "Urgences";
}
