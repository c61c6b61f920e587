require ["copy"];
# rule:[Redirection secrétariat]
if address :is "from" "dr.martin@chu-nantes.mssante.fr"
{
	redirect :copy "secretariat@esantepdl.mssante.fr";
}
