# rule:[Réacheminer]
if header :contains "subject" "ordonnance"
{
	redirect "secretariat@esantepdl.mssante.fr";
}
