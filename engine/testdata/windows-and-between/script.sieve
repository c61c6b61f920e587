require ["date","fileinto","relational","vacation"];
# rule:[Ponts de mai]
if allof (anyof (allof (currentdate :zone "+0200" :value "ge" "date" "2025-05-01", currentdate :zone "+0200" :value "le" "date" "2025-05-04"), allof (currentdate :zone "+0200" :value "ge" "iso8601" "2025-05-08T08:00:00+02:00", currentdate :zone "+0200" :value "le" "date" "2025-05-11")), not address :domain :is "from" "chu-nantes.mssante.fr")
{
	vacation :subject "Cabinet fermé" "Le cabinet est fermé pendant les ponts de mai.";
}
# rule:[Semaine de formation]
if allof (currentdate :zone "+0200" :value "ge" "iso8601" "2025-06-02T08:00:00+02:00", currentdate :zone "+0200" :value "le" "date" "2025-06-06")
{
	fileinto "Formation";
}
