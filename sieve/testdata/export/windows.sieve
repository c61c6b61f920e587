# tamis:mailbox "dr.martin@medecin.mssante.fr"
# tamis:also ["martin@chu-nantes.mssante.fr", "secretariat.martin@medecin.mssante.fr"]
require ["date", "fileinto", "relational", "vacation", "vacation-seconds"];
# rule:[Été]
if anyof (allof (currentdate :zone "+0200" :value "ge" "date" "2026-07-01", currentdate :zone "+0200" :value "le" "date" "2026-07-31"), allof (currentdate :zone "+0200" :value "ge" "iso8601" "2026-10-20T08:00:00+02:00", currentdate :zone "+0100" :value "le" "date" "2026-10-26"))
{
	vacation :days 3 :subject "Absence" :from "dr.martin@medecin.mssante.fr" :addresses ["dr.martin@medecin.mssante.fr", "martin@chu-nantes.mssante.fr", "secretariat.martin@medecin.mssante.fr"] :handle "ete-2026" text:
Bonjour,
Je suis absent.
..
...Point final
.
;
	discard;
}
# rule:[Congé ouvert]
if currentdate :zone "+0200" :value "ge" "iso8601" "2027-03-28T03:30:00+02:00"
{
	vacation :seconds 43200 :addresses ["dr.martin@medecin.mssante.fr", "martin@chu-nantes.mssante.fr", "secretariat.martin@medecin.mssante.fr"] "Absent jusqu'à nouvel ordre.";
}
# rule:[Jusqu'à lundi]
if false # allof (currentdate :zone "+0200" :value "lt" "iso8601" "2026-03-30T09:15:00+02:00", address :domain :is "from" "chu-nantes.mssante.fr")
{
	vacation :addresses ["dr.martin@medecin.mssante.fr", "martin@chu-nantes.mssante.fr", "secretariat.martin@medecin.mssante.fr"] "Absent jusqu'à lundi.";
	redirect "remplacant@medecin.mssante.fr";
	fileinto "INBOX/Absence";
}
