require ["vacation"];
# rule:[Absence]
if true
{
	vacation :days 7 :subject "Absence du Dr Lilas" :addresses ["dr.lilas@medecin.mssante.fr"] "Je suis absente jusqu'au 15 janvier. En cas d'urgence, appelez le 15.";
}
