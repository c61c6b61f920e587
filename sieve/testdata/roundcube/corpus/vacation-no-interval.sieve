require ["vacation"];
# rule:[Absence]
if true
{
	vacation :addresses "jean.dupont@esantepdl.mssante.fr" :subject "Absence du Dr Dupont" "Je suis absent, je vous répondrai à mon retour.";
}
