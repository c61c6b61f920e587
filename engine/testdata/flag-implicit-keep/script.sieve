require ["imap4flags"];
# rule:[Drapeau]
if true
{
	addflag "\\Flagged";
}
