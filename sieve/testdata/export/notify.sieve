# tamis:mailbox "dr.martin@medecin.mssante.fr"
require "enotify";
# rule:[Avis]
if true
{
	notify :options "tamis-limit=3600" :message "Un message vous attend." "mailto:dr.martin.perso@gmail.com";
	notify :options "tamis-limit=14400" "mailto:x@orange.fr";
	notify :message text:
Bonjour,
Un message.
.
 "mailto:y@orange.fr";
}
