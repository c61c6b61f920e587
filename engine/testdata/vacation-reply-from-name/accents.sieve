require ["vacation"];
# rule:[Absence]
if true
{
	vacation :subject "Absence du Dr Lilas" :from "Dr Hélène Lefèvre-Lilas <dr.lilas@medecin.mssante.fr>" "Je suis absente.";
}
