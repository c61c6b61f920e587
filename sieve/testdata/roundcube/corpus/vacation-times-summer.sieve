require ["date","relational","vacation"];
# rule:[Absence]
if allof (currentdate :zone "+0200" :value "ge" "iso8601" "2025-07-11T17:30:00+02:00", currentdate :zone "+0200" :value "le" "iso8601" "2025-08-04T08:00:00+02:00")
{
	vacation :days 7 :addresses "jean.dupont@esantepdl.mssante.fr" :subject "Absence du Dr Dupont" "Je suis absent, je vous répondrai à mon retour.";
}
