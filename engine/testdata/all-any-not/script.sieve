require ["fileinto"];
# rule:[Urgences des confrères]
if allof (address :domain :is "from" "medecin.mssante.fr", not header :contains "subject" "lettre d'information", anyof (header :contains "subject" "urgent", header :is "x-priority" "1"))
{
	fileinto "Urgences";
}
