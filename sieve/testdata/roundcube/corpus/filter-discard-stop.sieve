# rule:[Listes]
if exists "list-id"
{
	discard;
	stop;
}
