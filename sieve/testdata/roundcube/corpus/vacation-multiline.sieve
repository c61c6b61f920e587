require ["date","relational","vacation"];
# rule:[Absence]
if allof (currentdate :zone "+0200" :value "ge" "date" "2025-07-14", currentdate :zone "+0200" :value "le" "date" "2025-08-03")
{
	vacation :days 7 :addresses "jean.dupont@esantepdl.mssante.fr" :subject "Absence du Dr Dupont" text:
Bonjour,

Je suis absent du cabinet.
..Ligne commençant par un point.
En cas d'urgence, appelez le 15.

Dr Jean Dupont
.
;
}
