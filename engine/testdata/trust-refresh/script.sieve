require ["copy"];
# rule:[Copie au secrétariat]
if true
{
	redirect :copy "secretariat@esantepdl.mssante.fr";
}
