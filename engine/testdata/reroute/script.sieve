# rule:[Rendez-vous au secrétariat]
if header :contains "subject" "rendez-vous"
{
	redirect "secretariat@esantepdl.mssante.fr";
}
