require ["copy"];
# rule:[Copie 1]
if true
{
	redirect :copy "Secretariat@esantepdl.mssante.fr";
}
# rule:[Copie 2]
if true
{
	redirect :copy "secretariat@esantepdl.mssante.fr";
}
