require ["vacation","date","relational"];
# rule:[Fin octobre]
if allof (currentdate :zone "+0200" :value "ge" "date" "2025-10-20", currentdate :zone "+0200" :value "le" "date" "2025-10-31")
{
	vacation "Absent.";
}
