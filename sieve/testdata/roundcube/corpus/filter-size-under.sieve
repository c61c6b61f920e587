# rule:[Petit]
if size :under 100K
{
	keep;
}
