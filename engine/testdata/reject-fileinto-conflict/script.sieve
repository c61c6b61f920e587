require ["fileinto","reject"];
# rule:[Refuser la publicité]
if header :contains "subject" "publicité"
{
	reject "Pas de publicité sur cette boîte, merci.";
}
# rule:[Archivage]
if true
{
	fileinto "Archives";
}
