require ["vacation","date","relational","reject","fileinto"];
# rule:[Réacheminement]
if allof (currentdate :zone "+0100" :value "ge" "iso8601" "2026-02-09T08:00:00+01:00")
{
	vacation :days 1 :addresses "cabinet@medecin.mssante.fr" :subject "Transfert" "Vos messages sont transmis au Dr Remplaçant.";
	redirect "remplacant@medecin.mssante.fr";
}
# rule:[Publicité]
if anyof (header :contains "subject" "publicite", header :contains "from" "newsletter")
{
	reject text:
Ce message est refusé.
.
;
	stop;
}
# rule:[Transfert labo]
if address :domain :is "from" "ch-nantes.mssante.fr"
{
	redirect "secretariat@medecin.mssante.fr";
}
