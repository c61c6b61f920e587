require ["fileinto","vacation"];
# rule:[Accusé de réception au CHU]
if address :domain :is "from" "chu-nantes.mssante.fr"
{
	vacation :days 2 :subject "Message reçu" "Votre message a bien été reçu par le cabinet des Lilas.";
	fileinto "CHU";
}
