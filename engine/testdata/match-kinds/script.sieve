require ["fileinto","regex"];
# rule:[Ordonnances]
if header :contains "subject" ["ordonnance","prescription"]
{
	fileinto "Ordonnances";
}
# rule:[Résultats]
if header :matches "subject" "Résultats * du ??/??/????"
{
	fileinto "Resultats";
}
# rule:[Codes CDA]
if header :regex "x-mss-codecda" "^[0-9]{5}-[0-9]$"
{
	fileinto "CDA";
}
