require ["vacation","fileinto"];
fileinto "Archives";
vacation :subject "Absent" "Je suis absent.";
