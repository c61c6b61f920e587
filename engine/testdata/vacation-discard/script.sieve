require ["date","relational","vacation"];
# rule:[Fermeture définitive]
if currentdate :zone "+0200" :value "ge" "date" "2025-09-01"
{
	vacation :days 7 :subject "Cabinet fermé" "Le cabinet a fermé le 1er septembre 2025. Adressez-vous au secrétariat du GCS.";
	discard;
}
