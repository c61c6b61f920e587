require ["fileinto"];
# rule:[Patients]
if address :domain :is "from" "patient.mssante.fr"
{
	fileinto "Patients";
	stop;
}
# rule:[Tout le reste]
if true
{
	fileinto "Divers";
}
