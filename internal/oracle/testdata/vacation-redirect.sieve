require ["vacation","copy"];
redirect :copy "secretariat@esantepdl.mssante.fr";
vacation :subject "Absent" "Je suis absent.
Retour le 15.";
