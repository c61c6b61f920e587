require ["fileinto"];
# rule:[Patients]
if anyof (address :domain :is "from" "patient.mssante.fr", header :is "x-mss-mes" "FIN")
{
	fileinto "INBOX/Patients";
}
