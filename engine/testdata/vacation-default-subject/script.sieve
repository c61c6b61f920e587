require ["vacation"];
# rule:[Absence]
if true
{
	vacation "Je suis absente.";
}
