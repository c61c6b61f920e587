# tamis:mailbox "cabinet-des-lilas.93260@esantepdl.mssante.fr"
# tamis:also "a.martin@medecin.mssante.fr"
# tamis:timezone "Europe/Paris"
require ["copy", "date", "fileinto", "regex", "reject", "relational", "vacation"];
# rule:[Congés d'hiver]
if allof (currentdate :zone "+0100" :value "ge" "iso8601" "2025-12-20T18:00:00+01:00", currentdate :zone "+0100" :value "lt" "iso8601" "2026-01-05T08:00:00+01:00")
{
	vacation :days 7 :subject "Absence du cabinet" :addresses ["cabinet-des-lilas.93260@esantepdl.mssante.fr", "a.martin@medecin.mssante.fr"] text:
Bonjour,
Le cabinet est fermé du 20/12 au 05/01. En cas d'urgence, appelez le 15.
.
;
	redirect :copy "remplacant@medecin.mssante.fr";
}
# rule:[Redirection secrétariat]
if allof (address :is "from" "dr.martin@chu-nantes.mssante.fr", anyof (header :contains "Subject" "ordonnance", header :comparator "i;octet" :regex "Subject" "(R|r)(É|é)(S|s|ſ)(U|u)(L|l)(T|t)(A|a)(T|t)(S|s|ſ)"))
{
	redirect :copy "gcs.mssante@esantepdl.mssante.fr";
}
# rule:[Patients]
if anyof (address :domain :is "from" "patient.mssante.fr", header :is "X-MSS-MES" "FIN")
{
	fileinto "INBOX/Patients";
	stop;
}
# rule:[Gros fichiers]
if false # size :over 25M
{
	reject "Message trop volumineux (25 Mo maximum).";
}
---- diagnostics
testdata/export/typical.rules:20:45: warning: key "résultats" has non-ASCII letters that Sieve's i;ascii-casemap would not fold; exported as the exact regular expression "(R|r)(É|é)(S|s|ſ)(U|u)(L|l)(T|t)(A|a)(T|t)(S|s|ſ)" [rewritten]
            subject contains any ["ordonnance", "résultats"]
                                                ^^^^^^^^^^^
