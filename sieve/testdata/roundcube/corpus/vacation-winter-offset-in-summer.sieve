require ["date","relational","vacation"];
# rule:[Absence]
if allof (currentdate :zone "+0100" :value "ge" "iso8601" "2026-07-13T08:00:00+01:00", currentdate :zone "+0100" :value "le" "iso8601" "2026-08-02T20:00:00+01:00")
{
	vacation :days 7 :addresses "jean.dupont@esantepdl.mssante.fr" :subject "Absence du Dr Dupont" "Je suis absent, je vous répondrai à mon retour.";
}
