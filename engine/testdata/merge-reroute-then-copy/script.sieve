require ["copy"];
# rule:[Urgences au remplaçant]
if header :contains "subject" "urgent"
{
	redirect "remplacant@medecin.mssante.fr";
}
# rule:[Copie au remplaçant]
if true
{
	redirect :copy "remplacant@medecin.mssante.fr";
}
