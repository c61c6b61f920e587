require ["copy"];
# rule:[Copie secrétariat]
if header :contains "subject" "ordonnance"
{
	redirect :copy "secretariat@esantepdl.mssante.fr";
}
