require ["copy","reject"];
# rule:[Refuser]
if true
{
	reject "Boîte fermée.";
}
# rule:[Copie]
if true
{
	redirect :copy "secretariat@esantepdl.mssante.fr";
}
