require ["copy","fileinto"];
# rule:[Copie]
if header :contains "subject" "RCP"
{
	fileinto :copy "RCP";
}
