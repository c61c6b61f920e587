require ["copy","fileinto"];
# rule:[Secrétariat]
if address :is "from" "dr.dupont@medecin.mssante.fr"
{
	redirect :copy "secretariat@esantepdl.mssante.fr";
}
# rule:[Laboratoire en copie]
if address :domain :is "cc" "labo.mssante.fr"
{
	fileinto "Labo";
}
