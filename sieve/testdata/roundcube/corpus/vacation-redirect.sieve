require ["date","relational","vacation"];
# rule:[Absence]
if allof (currentdate :zone "+0200" :value "ge" "date" "2025-07-14", currentdate :zone "+0200" :value "le" "date" "2025-08-03")
{
	vacation :days 7 :addresses "jean.dupont@esantepdl.mssante.fr" :subject "Absence du Dr Dupont" "Je suis absent, je vous répondrai à mon retour.";
	redirect "remplacant@esantepdl.mssante.fr";
}
