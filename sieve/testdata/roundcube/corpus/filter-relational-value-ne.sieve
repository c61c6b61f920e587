require ["comparator-i;ascii-numeric","fileinto","relational"];
# rule:[Relationnel]
if header :value "ne" :comparator "i;ascii-numeric" "x-priority" "2"
{
	fileinto "INBOX/Résultats";
}
