require ["date","fileinto","relational"];
# rule:[Garde de nuit et de week-end]
if anyof (allof (currentdate :zone "+0100" :value "ge" "weekday" "1", currentdate :zone "+0100" :value "le" "weekday" "5", currentdate :zone "+0100" :value "ge" "time" "19:00:00"), allof (currentdate :zone "+0100" :value "ge" "weekday" "2", currentdate :zone "+0100" :value "le" "weekday" "6", currentdate :zone "+0100" :value "lt" "time" "08:00:00"), currentdate :zone "+0100" :value "eq" "weekday" "6", currentdate :zone "+0100" :value "eq" "weekday" "0")
{
	fileinto "Garde";
}
