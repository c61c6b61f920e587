# rule:[Réacheminer]
if true
{
	redirect "secretariat@esantepdl.mssante.fr";
}
# rule:[Garder aussi]
if true
{
	keep;
}
