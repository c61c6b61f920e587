require ["fileinto"];
# rule:[De est égal à (en-tête)]
if header :is "from" "dr.dupont@medecin.mssante.fr"
{
	fileinto "Entete";
}
# rule:[De est égal à (adresse)]
if address :is "from" "dr.dupont@medecin.mssante.fr"
{
	fileinto "Adresse";
}
