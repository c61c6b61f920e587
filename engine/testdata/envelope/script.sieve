require ["envelope","fileinto"];
# rule:[Envoyé par le CHU]
if envelope :domain :is "from" "chu-nantes.mssante.fr"
{
	fileinto "CHU";
}
# rule:[Adressé au cabinet]
if envelope :localpart :is "to" "cabinet.lilas"
{
	fileinto "Cabinet";
}
