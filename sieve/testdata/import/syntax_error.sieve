require "fileinto";
if header :is "from" "x" {
	fileinto "INBOX/x"
}
