require ["date","fileinto","relational"];
# rule:[Hors horaires d'ouverture]
if not allof (currentdate :zone "+0100" :value "ge" "weekday" "1", currentdate :zone "+0100" :value "le" "weekday" "5", currentdate :zone "+0100" :value "ge" "time" "08:00:00", currentdate :zone "+0100" :value "lt" "time" "19:00:00")
{
	fileinto "HorsHoraires";
}
