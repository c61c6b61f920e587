# rule:[Désactivé]
if false # header :contains "subject" "test"
{
	discard;
}
