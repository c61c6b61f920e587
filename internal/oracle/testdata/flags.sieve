require ["imap4flags","fileinto","copy","vacation","vacation-seconds"];
addflag "\\Flagged";
fileinto :copy "Archives";
fileinto :flags "$Label" "Autre";
vacation :seconds 3600 :from "me@medecin.mssante.fr" :addresses ["a@medecin.mssante.fr"] :subject "Résumé" "x";
