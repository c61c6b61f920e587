require ["reject"];
# rule:[Refuser]
if true
{
	reject "Boîte fermée.";
}
# rule:[Refuser encore]
if size :over 10
{
	reject "Boîte vraiment fermée.";
}
