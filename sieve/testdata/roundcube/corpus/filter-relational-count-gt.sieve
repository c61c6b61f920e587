require ["comparator-i;ascii-numeric","fileinto","relational"];
# rule:[Relationnel]
if header :count "gt" :comparator "i;ascii-numeric" "x-priority" "2"
{
	fileinto "INBOX/Résultats";
}
