require ["fileinto"];
# rule:[Plus de 90]
if size :over 90
{
	fileinto "over90";
}
# rule:[Plus de 91]
if size :over 91
{
	fileinto "over91";
}
# rule:[Plus de 95]
if size :over 95
{
	fileinto "over95";
}
# rule:[Plus de 96]
if size :over 96
{
	fileinto "over96";
}
# rule:[Moins de 92]
if size :under 92
{
	fileinto "under92";
}
# rule:[Moins de 97]
if size :under 97
{
	fileinto "under97";
}
