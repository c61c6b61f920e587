require ["date","relational","vacation"];
# rule:[Absence]
if currentdate :zone "+0200" :value "le" "date" "2025-09-30"
{
	vacation :days 7 :addresses "jean.dupont@esantepdl.mssante.fr" :subject "Absence du Dr Dupont" "Je suis absent, je vous répondrai à mon retour.";
}
