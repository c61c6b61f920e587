require ["fileinto","copy","vacation","reject"];
fileinto "INBOX/Patients";
redirect :copy "secretariat@esantepdl.mssante.fr";
redirect "remplacant@medecin.mssante.fr";
vacation :days 3 :subject "Absent" :handle "h1" "Je suis absent.
Deuxième ligne";
