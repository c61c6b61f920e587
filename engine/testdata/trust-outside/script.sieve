# rule:[Transfert personnel]
if header :contains "subject" "personnel"
{
	redirect "dr.lilas@gmail.com";
}
