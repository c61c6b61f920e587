require ["imap4flags"];
# rule:[Tous les messages]
if true
{
	addflag "Lu";
}
