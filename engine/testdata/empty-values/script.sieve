require ["fileinto"];
# rule:[Sans objet]
if header :is "subject" ""
{
	fileinto "SansObjet";
}
# rule:[Champ INS présent]
if header :contains "x-mss-ins" ""
{
	fileinto "INS";
}
