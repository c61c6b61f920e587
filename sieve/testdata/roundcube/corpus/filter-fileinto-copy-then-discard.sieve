require ["copy","fileinto"];
# rule:[Copie RCP]
if header :contains "subject" "RCP"
{
	fileinto :copy "RCP";
}
# rule:[Listes]
if exists "list-id"
{
	discard;
}
