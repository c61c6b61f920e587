require ["vacation"];
# rule:[Absence]
if true
{
	vacation :subject "Absence du Dr Lilas" :from "Dr Anne Lilas <dr.lilas@medecin.mssante.fr>" "Je suis absente.";
}
