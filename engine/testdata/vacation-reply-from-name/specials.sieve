require ["vacation"];
# rule:[Absence]
if true
{
	vacation :subject "Absence du Dr Lilas" :from "\"Lilas, Anne (cabinet@Nantes)\" <dr.lilas@medecin.mssante.fr>" "Je suis absente.";
}
