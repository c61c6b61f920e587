require ["vacation"];
# rule:[Absence]
if true
{
	vacation :days 7 :addresses "jean.dupont@esantepdl.mssante.fr" "Je suis absent, je vous répondrai à mon retour.";
}
