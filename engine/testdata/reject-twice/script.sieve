require ["reject"];
# rule:[Refuser]
if true
{
	reject "Boîte fermée.";
}
# rule:[Refuser encore]
if true
{
	reject "Boîte vraiment fermée.";
}
