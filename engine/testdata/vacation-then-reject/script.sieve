require ["reject","vacation"];
# rule:[Absence]
if true
{
	vacation :subject "Absence" "Je suis absente.";
}
# rule:[Refuser]
if true
{
	reject "Boîte fermée.";
}
