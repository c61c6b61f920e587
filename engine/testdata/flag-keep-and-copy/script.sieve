require ["copy","imap4flags"];
# rule:[Garder marqué]
if true
{
	addflag "\\Flagged";
	keep;
}
# rule:[Copie]
if true
{
	redirect :copy "secretariat@esantepdl.mssante.fr";
}
