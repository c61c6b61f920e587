require ["vacation"];
# rule:[Absence]
if true
{
	vacation :days 7 :addresses "helene.lefevre@esantepdl.mssante.fr" :subject "Absence du Dr Dupont" :from "=?UTF-8?B?RHIgSMOpbMOobmUgTGVmw6h2cmU=?= <helene.lefevre@esantepdl.mssante.fr>" "Je suis absent, je vous répondrai à mon retour.";
}
