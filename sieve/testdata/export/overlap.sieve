require ["copy", "date", "relational", "vacation"];
# rule:[Été]
if allof (currentdate :zone "+0200" :value "ge" "date" "2026-07-01", currentdate :zone "+0200" :value "le" "date" "2026-07-31")
{
	vacation "Absent en juillet.";
}
# rule:[Formation]
if allof (currentdate :zone "+0200" :value "ge" "date" "2026-07-20", currentdate :zone "+0200" :value "le" "date" "2026-08-10")
{
	if not allof (currentdate :zone "+0200" :value "ge" "date" "2026-07-01", currentdate :zone "+0200" :value "le" "date" "2026-07-31")
	{
		vacation "En formation.";
	}
	redirect :copy "remplacant@medecin.mssante.fr";
}
# rule:[Automne]
if allof (currentdate :zone "+0200" :value "ge" "date" "2026-10-01", currentdate :zone "+0200" :value "le" "date" "2026-10-15")
{
	vacation "Absent en octobre.";
}
# rule:[Accusé]
if header :contains "Subject" "urgent"
{
	if not anyof (allof (currentdate :zone "+0200" :value "ge" "date" "2026-07-01", currentdate :zone "+0200" :value "le" "date" "2026-07-31"), allof (currentdate :zone "+0200" :value "ge" "date" "2026-07-20", currentdate :zone "+0200" :value "le" "date" "2026-08-10"), allof (currentdate :zone "+0200" :value "ge" "date" "2026-10-01", currentdate :zone "+0200" :value "le" "date" "2026-10-15"))
	{
		vacation :subject "Accusé de réception" "Message urgent reçu.";
	}
}
