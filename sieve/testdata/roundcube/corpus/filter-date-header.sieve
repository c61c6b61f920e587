require ["date","fileinto","relational"];
# rule:[Date]
if date :zone "+0100" :value "eq" "date" "weekday" "0"
{
	fileinto "INBOX/Résultats";
}
