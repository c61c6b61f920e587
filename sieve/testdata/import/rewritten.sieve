require ["fileinto", "date", "relational"];
# rule:[Accents]
if anyof (header :contains "Subject" "été", header :matches "Subject" "RE: ?", header :comparator "i;octet" :matches "Subject" "*??*")
{
	fileinto "INBOX/Accents";
}
# rule:[Sans zone]
if currentdate :value "ge" "date" "2026-03-29"
{
	fileinto "INBOX/Printemps";
}
