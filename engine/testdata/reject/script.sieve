require ["reject"];
# rule:[Refuser les patients]
if address :domain :is "from" "patient.mssante.fr"
{
	reject "Cette boîte ne reçoit pas les messages des patients. Écrivez à secretariat@esantepdl.mssante.fr.";
}
