require ["vacation"];
# rule:[Absence]
if true
{
	vacation :subject "Absence du Dr Lilas" "Je suis absente jusqu'au 15 janvier.";
}
