require ["copy"];
# rule:[Transfert]
if true
{
	redirect :copy "secretariat.dupont@esantepdl.mssante.fr";
}
