require ["fileinto","reject","copy","envelope","body","imap4flags"];
# rule:[Redirection secrétariat]
if allof (header :is "from" "dr.martin@chu-nantes.mssante.fr", header :contains "subject" ["ordonnance","résultats"])
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
# rule:[Tri]
if anyof (envelope :domain :is "from" "ch-nantes.mssante.fr", body :text :contains "compte rendu", not exists "X-MSS-INS")
{
	addflag "\\Flagged $Label1";
	fileinto :copy "INBOX/Comptes rendus";
}
# rule:[Désactivé sans test]
if false #
{
	discard;
}
