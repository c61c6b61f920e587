require ["fileinto", "variables", "mailbox", "subaddress", "relational", "date"];
# rule:[Variables]
if header :matches "Subject" "*" {
	set "subject" "${1}";
}
# rule:[Sous-adresse]
if address :detail :is "to" "spam" {
	fileinto :create "Spam";
}
# rule:[Compte]
if header :count "gt" "Received" "5" {
	discard;
}
# rule:[Jour]
if currentdate :zone "+0100" :is "weekday" "0" {
	discard;
}
if body :raw :contains "x" { discard; }
