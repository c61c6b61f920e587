require ["fileinto"];
# rule:[Tout supprimer]
if false # true
{
	discard;
}
# rule:[Archiver les comptes rendus]
if false # header :contains "subject" "compte rendu"
{
	fileinto "Archives";
}
