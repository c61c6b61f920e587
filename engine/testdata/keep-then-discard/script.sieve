# rule:[Garder]
if true
{
	keep;
}
# rule:[Supprimer]
if true
{
	discard;
}
