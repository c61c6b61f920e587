# tamis:timezone "Etc/GMT-1"
require ["date", "fileinto", "imap4flags", "relational"];
# rule:[Nuit]
if anyof (allof (currentdate :zone "+0100" :is "weekday" "5", currentdate :zone "+0100" :value "ge" "time" "19:00:00"), allof (currentdate :zone "+0100" :is "weekday" "6", currentdate :zone "+0100" :value "lt" "time" "08:00:00"), currentdate :zone "+0100" :is "weekday" "0", allof (currentdate :zone "+0100" :is "weekday" ["1", "3"], currentdate :zone "+0100" :value "ge" "time" "22:30:00"))
{
	addflag "$Nuit";
}
# rule:[Hors horaires]
if not anyof (allof (currentdate :zone "+0100" :is "weekday" ["1", "2", "3", "4", "5"], currentdate :zone "+0100" :value "ge" "time" "08:00:00", currentdate :zone "+0100" :value "lt" "time" "19:00:00"), allof (currentdate :zone "+0100" :is "weekday" "6", currentdate :zone "+0100" :value "ge" "time" "09:00:00", currentdate :zone "+0100" :value "lt" "time" "12:00:00"))
{
	fileinto "INBOX/Hors horaires";
}
