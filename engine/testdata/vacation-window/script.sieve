require ["date","relational","vacation"];
# rule:[Congés d'été]
if allof (currentdate :zone "+0200" :value "ge" "date" "2025-07-01", currentdate :zone "+0200" :value "le" "date" "2025-07-31")
{
	vacation :days 7 :subject "Absence du cabinet" text:
Bonjour,
Le cabinet est fermé du 1er au 31 juillet. En cas d'urgence, appelez le 15.
.
;
}
