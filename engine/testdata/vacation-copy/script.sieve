require ["copy","date","relational","vacation"];
# rule:[Remplacement]
if allof (currentdate :zone "+0200" :value "ge" "date" "2025-08-01", currentdate :zone "+0200" :value "le" "date" "2025-08-15")
{
	vacation :days 7 :subject "Cabinet fermé, remplacement assuré" "Le Dr Lilas est absente. Votre message a été transmis à son remplaçant.";
	redirect :copy "remplacant@medecin.mssante.fr";
}
