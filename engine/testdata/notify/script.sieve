require ["enotify"];
# rule:[Avis sur ma BAL classique]
if true
{
	notify :message "Un message sécurisé vous attend." "mailto:dr.martin.perso@gmail.com";
}
# rule:[Patients]
if address :is :domain "from" "patient.mssante.fr"
{
	notify "mailto:secretariat.lilas@orange.fr";
}
