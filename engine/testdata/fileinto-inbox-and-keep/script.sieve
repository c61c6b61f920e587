require ["fileinto"];
# rule:[Classer dans la boîte de réception]
if true
{
	fileinto "INBOX";
}
# rule:[Garder]
if true
{
	keep;
}
