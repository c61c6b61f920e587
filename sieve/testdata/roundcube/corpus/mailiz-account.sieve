require ["copy","date","fileinto","imap4flags","relational","vacation"];
# rule:[Absence]
if allof (currentdate :zone "+0200" :value "ge" "date" "2025-07-14", currentdate :zone "+0200" :value "le" "date" "2025-08-03")
{
	vacation :days 7 :addresses "jean.dupont@esantepdl.mssante.fr" :subject "Absence du Dr Dupont" :from "Dr Jean Dupont <jean.dupont@esantepdl.mssante.fr>" "Je suis absent, je vous répondrai à mon retour.";
	redirect :copy "remplacant@esantepdl.mssante.fr";
}
# rule:[Résultats labo]
if allof (address :domain :is "from" "biogroup.mssante.fr", header :contains "subject" "résultats")
{
	addflag "$Biologie";
	fileinto "INBOX/Biologie";
	stop;
}
# rule:[Accusés de lecture]
if header :contains "content-type" "disposition-notification"
{
	fileinto "Accusés";
}
