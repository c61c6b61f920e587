require ["vacation-seconds"];
# rule:[Absence]
if true
{
	vacation :seconds 0 :addresses "jean.dupont@esantepdl.mssante.fr" :subject "Absence du Dr Dupont" "Je suis absent, je vous répondrai à mon retour.";
}
