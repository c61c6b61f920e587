require ["vacation","date","relational","vacation-seconds"];
# rule:[Congés d'hiver]
if allof (currentdate :zone "+0100" :value "ge" "iso8601" "2025-12-20T18:00:00+01:00", currentdate :zone "+0100" :value "le" "iso8601" "2026-01-05T08:00:00+01:00")
{
	vacation :seconds 86400 :subject "Cabinet fermé" "Le cabinet est fermé. En cas d'urgence, appelez le 15.";
	discard;
}
