require ["fileinto","regex"];
# rule:[Un caractère]
if header :matches "subject" "R?sultats*"
{
	fileinto "Glob";
}
# rule:[Regex sans casse]
if header :regex "subject" "^urgent"
{
	fileinto "Regex";
}
# rule:[Sensible à la casse]
if header :comparator "i;octet" :contains "subject" "Urgent"
{
	fileinto "Sensible";
}
# rule:[Étoile littérale]
if header :matches "subject" "*\\**"
{
	fileinto "Etoile";
}
