require ["date","relational","vacation"];
# rule:[Absence]
if allof (currentdate :zone "+0200" :value "ge" "date" "2025-10-26", currentdate :zone "+0100" :value "le" "date" "2025-11-02")
{
	vacation :days 7 :subject "Absence du cabinet" "Le cabinet est fermé du 2025-10-26 au 2025-11-02 inclus.";
}
