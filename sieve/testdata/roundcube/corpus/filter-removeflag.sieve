require ["imap4flags"];
# rule:[Drapeaux]
if header :contains "subject" "urgent"
{
	removeflag "\\Seen";
}
