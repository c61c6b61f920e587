require ["reject"];
# rule:[Refus]
if address :domain :is "from" "patient.mssante.fr"
{
	reject text:
Cette messagerie ne reçoit pas de messages de patients.
Appelez le cabinet.
.
;
}
