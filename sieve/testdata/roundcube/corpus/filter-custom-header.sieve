# rule:[MSS]
if header :is "X-MSS-MES" "FIN"
{
	discard;
	stop;
}
