require ["date","relational","vacation"];
# rule:[Absence]
if allof (currentdate :zone "+0100" :value "ge" "date" "2025-03-30", currentdate :zone "+0200" :value "le" "date" "2025-04-06")
{
	vacation :days 7 :subject "Absence du cabinet" "Le cabinet est fermé du 2025-03-30 au 2025-04-06 inclus.";
}
