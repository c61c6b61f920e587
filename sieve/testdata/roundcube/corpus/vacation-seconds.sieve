require ["vacation-seconds"];
# rule:[Absence]
if true
{
	vacation :seconds 3600 :addresses "jean.dupont@esantepdl.mssante.fr" :subject "Absence du Dr Dupont" "Je suis absent, je vous répondrai à mon retour.";
}
