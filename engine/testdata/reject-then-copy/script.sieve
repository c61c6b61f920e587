require ["copy","reject"];
# rule:[Refuser]
if true
{
	reject "Boîte fermée.";
}
# rule:[Copie]
if size :over 10
{
	redirect :copy "secretariat@esantepdl.mssante.fr";
}
