require ["vacation","date","relational","copy"];
# rule:[Absence été]
if allof (currentdate :zone "+0200" :value "ge" "date" "2025-07-01", currentdate :zone "+0200" :value "le" "date" "2025-11-03")
{
	vacation :days 7 :addresses ["dr.martin@medecin.mssante.fr","martin@chu-nantes.mssante.fr"] :subject "Absence du Dr Martin" :from "dr.martin@medecin.mssante.fr" text:
Bonjour,

Je suis absent du 1er juillet au 3 novembre.
..Ligne commençant par un point.
En cas d'urgence, appelez le 15.
.
;
	redirect :copy "remplacant@medecin.mssante.fr";
}
