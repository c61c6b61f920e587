require ["vacation"];
# rule:[Absence]
if true
{
	vacation :days 7 :subject "Absence du Dr Dupont" "Je suis absent, je vous répondrai à mon retour.";
}
