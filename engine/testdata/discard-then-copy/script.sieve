require ["copy"];
# rule:[Supprimer]
if true
{
	discard;
}
# rule:[Copie]
if true
{
	redirect :copy "secretariat@esantepdl.mssante.fr";
}
