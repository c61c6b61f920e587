require ["enotify"];
# rule:[Avis sur ma BAL classique]
if true
{
	notify :importance "2" :options ["tamis-limit=3600"] :message "Un message sécurisé vous attend." "mailto:dr.martin.perso@gmail.com";
}
# rule:[Avis au remplaçant]
if header :contains "subject" "urgent"
{
	notify :from "cabinet@esantepdl.mssante.fr" "mailto:remplacant@laposte.net";
}
