require ["fileinto","subaddress","envelope"];
# rule:[Détail]
if address :detail :is "to" "urgent"
{
	fileinto "INBOX/Urgent";
}
# rule:[Utilisateur]
if anyof (address :user :is "to" "Cabinet", envelope :user :contains "to" "cab", address :detail :contains "to" "lab", address :user :matches "to" "se*at")
{
	fileinto "INBOX/Cabinet";
}
