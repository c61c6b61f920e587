require ["date","relational","vacation"];
# rule:[Absence]
if allof (currentdate :zone "+0200" :value "ge" "iso8601" "2025-10-17T18:00:00+02:00", currentdate :zone "+0100" :value "le" "iso8601" "2025-11-03T09:00:00+01:00")
{
	vacation :days 7 :addresses "jean.dupont@esantepdl.mssante.fr" :subject "Absence du Dr Dupont" "Je suis absent, je vous répondrai à mon retour.";
}
