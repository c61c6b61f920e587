# rule:[Garder les urgences]
if header :contains "subject" "urgent"
{
	keep;
}
