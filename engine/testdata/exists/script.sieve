require ["fileinto"];
# rule:[Documents DMP]
if exists ["x-mss-ins","x-mss-codecda"]
{
	fileinto "DMP";
}
