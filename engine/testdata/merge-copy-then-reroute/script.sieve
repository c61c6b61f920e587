require ["copy"];
# rule:[Copie au secrétariat]
if true
{
	redirect :copy "secretariat@esantepdl.mssante.fr";
}
# rule:[Urgences au secrétariat]
if header :contains "subject" "urgent"
{
	redirect "secretariat@esantepdl.mssante.fr";
}
