# rule:[Transfert]
if true
{
	redirect "secretariat.dupont@esantepdl.mssante.fr";
}
