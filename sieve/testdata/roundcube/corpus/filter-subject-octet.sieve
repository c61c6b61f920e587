require ["fileinto"];
# rule:[Casse exacte]
if header :contains :comparator "i;octet" "subject" "URGENT"
{
	fileinto "INBOX/Résultats";
}
