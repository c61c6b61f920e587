# rule:[Supprimer les publicités]
if header :contains "subject" "[PUB]"
{
	discard;
}
