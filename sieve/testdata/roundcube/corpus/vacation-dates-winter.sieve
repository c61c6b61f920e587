require ["date","relational","vacation"];
# rule:[Absence]
if allof (currentdate :zone "+0100" :value "ge" "date" "2025-12-20", currentdate :zone "+0100" :value "le" "date" "2026-01-05")
{
	vacation :days 7 :addresses "jean.dupont@esantepdl.mssante.fr" :subject "Absence du Dr Dupont" "Je suis absent, je vous répondrai à mon retour.";
}
