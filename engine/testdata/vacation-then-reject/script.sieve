require ["reject","vacation"];
# rule:[Absence]
if true
{
	vacation :subject "Absence" "Je suis absente.";
}
# rule:[Refuser]
if size :over 10
{
	reject "Boîte fermée.";
}
