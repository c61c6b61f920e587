require ["enotify", "variables"];
# rule:[Objet]
if true
{
	notify :message "Nouveau : ${subject}" "mailto:a@gmail.com";
}
# rule:[URI]
if true
{
	notify "mailto:b@gmail.com?subject=Avis&body=Nouveau";
}
# rule:[XMPP]
if true
{
	notify "xmpp:c@jabber.example";
}
# rule:[Brouillon]
if true
{
	notify :method "mailto" :options "d@gmail.com";
}
