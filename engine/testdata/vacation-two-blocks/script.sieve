require ["vacation"];
# rule:[Absence A]
if true
{
	vacation :subject "Absence A" "Réponse A.";
}
# rule:[Absence B]
if true
{
	vacation :subject "Absence B" "Réponse B.";
}
