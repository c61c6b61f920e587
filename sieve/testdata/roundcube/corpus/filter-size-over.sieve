require ["fileinto"];
# rule:[Gros]
if size :over 5M
{
	fileinto "Gros";
}
