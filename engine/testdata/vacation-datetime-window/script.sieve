require ["date","relational","vacation"];
# rule:[Congés d'hiver]
if allof (currentdate :zone "+0100" :value "ge" "iso8601" "2025-12-20T18:00:00+01:00", currentdate :zone "+0100" :value "lt" "iso8601" "2026-01-05T08:00:00+01:00")
{
	vacation :days 3 :subject "Absence du cabinet" text:
Bonjour,
Le cabinet est fermé du 20/12 au 05/01. En cas d'urgence, appelez le 15.
.
;
}
