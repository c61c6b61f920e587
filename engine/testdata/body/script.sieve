require ["body","fileinto"];
# rule:[Urgences vitales]
if body :text :contains "urgence vitale"
{
	fileinto "Urgences";
}
