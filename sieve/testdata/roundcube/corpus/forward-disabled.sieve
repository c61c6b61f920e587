require ["copy"];
# rule:[Transfert]
if false # true
{
	redirect :copy "secretariat.dupont@esantepdl.mssante.fr";
}
