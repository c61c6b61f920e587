require ["vacation"];
# rule:[Absence]
if true
{
	vacation :subject "Absence du Dr Lilas" :from "dr.lilas@medecin.mssante.fr" :addresses ["dr.lilas@medecin.mssante.fr","a.lilas@medecin.mssante.fr"] "Je suis absente.";
	redirect "remplacant@medecin.mssante.fr";
}
