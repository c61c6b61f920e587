require ["fileinto"];
# rule:[Secrétariat en destinataire]
if address :is "to" "secretariat@esantepdl.mssante.fr"
{
	fileinto "Secretariat";
}
# rule:[CHU en destinataire]
if address :domain :is "to" "chu-nantes.mssante.fr"
{
	fileinto "CHU";
}
