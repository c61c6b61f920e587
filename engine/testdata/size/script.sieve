require ["fileinto"];
# rule:[Gros messages]
if size :over 10K
{
	fileinto "Volumineux";
}
# rule:[Petits messages]
if size :under 1K
{
	fileinto "Courts";
}
