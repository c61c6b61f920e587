require ["date","relational","vacation"];
# rule:[Absence]
if allof (currentdate :zone "+0100" :value "ge" "date" "2025-03-20", currentdate :zone "+0100" :value "le" "date" "2025-03-30")
{
	vacation :days 7 :subject "Absence du cabinet" "Le cabinet est fermé du 2025-03-20 au 2025-03-30 inclus.";
}
