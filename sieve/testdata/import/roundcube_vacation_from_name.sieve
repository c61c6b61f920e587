require ["vacation"];
# rule:[Absence]
if true
{
	vacation :days 0 :from "Dr Hélène Lefèvre <helene.lefevre@esantepdl.mssante.fr>" :subject "Absente" "Je suis absente.";
}
