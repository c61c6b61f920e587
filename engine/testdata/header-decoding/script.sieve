require ["fileinto"];
# rule:[Nom encodé]
if header :contains "from" "Hélène"
{
	fileinto "Helene";
}
# rule:[Objet plié]
if header :is "subject" "Compte rendu de la consultation du 6 janvier"
{
	fileinto "Plie";
}
# rule:[Plusieurs champs]
if header :is ["x-mss-ins","x-mss-nil"] "O"
{
	fileinto "Champs";
}
# rule:[Renvoyé par]
if address :domain :is "resent-from" "chu-nantes.mssante.fr"
{
	fileinto "Renvoye";
}
# rule:[Répondre à]
if address :localpart :is "reply-to" "secretariat"
{
	fileinto "ReplyTo";
}
# rule:[Expéditeur technique]
if address :is "sender" "robot@chu-nantes.mssante.fr"
{
	fileinto "Sender";
}
