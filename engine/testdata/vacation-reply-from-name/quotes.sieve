require ["vacation"];
# rule:[Absence]
if true
{
	vacation :subject "Absence du Dr Lilas" :from "Dr \"Nanou\" Lilas <dr.lilas@medecin.mssante.fr>" "Je suis absente.";
}
