/* A hand-written script: nested blocks, elsif, else, comments */
require ["fileinto"];
if header :contains "Subject" "urgent" {
  fileinto "INBOX/Urgent";
  if address :domain :is "From" "chu-nantes.mssante.fr" {
    keep;
    stop;
  }
} elsif size :under 100K {
  fileinto "INBOX/Petits";
} else {
  discard;
}
keep; # the rest
