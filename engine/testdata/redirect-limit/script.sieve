require ["copy"];
# rule:[Diffusion 1]
if header :contains "subject" "diffusion"
{
	redirect :copy "secretariat@esantepdl.mssante.fr";
}
# rule:[Diffusion 2]
if header :contains "subject" "diffusion"
{
	redirect :copy "remplacant@medecin.mssante.fr";
}
# rule:[Diffusion 3]
if header :contains "subject" "diffusion"
{
	redirect :copy "pharmacie.centrale@pharmacien.mssante.fr";
}
# rule:[Diffusion 4]
if header :contains "subject" "diffusion"
{
	redirect :copy "accueil@chu-nantes.mssante.fr";
}
# rule:[Diffusion 1 bis]
if header :contains "subject" "diffusion"
{
	redirect :copy "secretariat@ESANTEPDL.MSSANTE.FR";
}
# rule:[Diffusion large]
if header :contains "subject" "large"
{
	redirect :copy "idec@infirmier.mssante.fr";
}
