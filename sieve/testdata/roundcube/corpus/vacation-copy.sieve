require ["copy","date","relational","vacation"];
# rule:[Absence]
if allof (currentdate :zone "+0100" :value "ge" "iso8601" "2025-12-19T18:00:00+01:00", currentdate :zone "+0100" :value "le" "iso8601" "2026-01-05T08:00:00+01:00")
{
	vacation :days 7 :addresses "jean.dupont@esantepdl.mssante.fr" :subject "Absence du Dr Dupont" :from "Dr Jean Dupont <jean.dupont@esantepdl.mssante.fr>" "Je suis absent, je vous répondrai à mon retour.";
	redirect :copy "secretariat.dupont@esantepdl.mssante.fr";
}
