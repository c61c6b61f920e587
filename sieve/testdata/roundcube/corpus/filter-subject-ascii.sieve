require ["imap4flags"];
# rule:[Urgent]
if header :contains "subject" "urgent"
{
	addflag "\\Flagged";
}
