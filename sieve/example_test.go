package sieve_test

import (
	"fmt"

	"github.com/tamis-mss/tamis/parser"
	"github.com/tamis-mss/tamis/sieve"
)

// A policy exported for Dovecot Pigeonhole: the absence window becomes
// currentdate tests carrying the UTC offset in force at each bound.
func ExampleExport() {
	policy, _ := parser.Parse("cabinet.rules", []byte(`
vacation "Congés" {
    from 2026-03-20 until 2026-04-05
    reply "Le cabinet est fermé."
    copy to "remplacant@medecin.mssante.fr"
}
`), parser.DefaultOptions())
	script, diags := sieve.Export(policy)
	fmt.Print(string(script), diags)
	// Output:
	// require ["copy", "date", "relational", "vacation"];
	// # rule:[Congés]
	// if allof (currentdate :zone "+0100" :value "ge" "date" "2026-03-20", currentdate :zone "+0200" :value "le" "date" "2026-04-05")
	// {
	// 	vacation "Le cabinet est fermé.";
	// 	redirect :copy "remplacant@medecin.mssante.fr";
	// }
}

// A Roundcube filter imported: the rule name comes from its comment, and
// "header :is" stays a comparison of the whole header.
func ExampleImport() {
	script := "require [\"fileinto\"];\r\n" +
		"# rule:[Secrétariat]\r\n" +
		"if allof (header :is \"from\" \"dr.martin@chu-nantes.mssante.fr\", header :contains \"subject\" \"ordonnance\")\r\n" +
		"{\r\n\tfileinto \"INBOX/Secrétariat\";\r\n\tstop;\r\n}\r\n"
	policy, diags := sieve.Import("roundcube.sieve", []byte(script))
	fmt.Print(string(parser.Format(policy)), diags)
	// Output:
	// rule "Secrétariat" {
	//     when all {
	//         header "from" is "dr.martin@chu-nantes.mssante.fr"
	//         header "subject" contains "ordonnance"
	//     }
	//     file into "INBOX/Secrétariat"
	//     stop
	// }
	// roundcube.sieve:3:11: warning: header :is "from" compares the whole From field, display name included: "dr.martin@chu-nantes.mssante.fr" never matches a From such as "Dr X" <dr.martin@chu-nantes.mssante.fr>
}

// ExampleImportWithOptions repairs the traps of a Roundcube script: the
// From header compared whole, and a non-ASCII key that Sieve's ASCII-only
// folding misses in capitals.
func ExampleImportWithOptions() {
	script := "require [\"fileinto\"];\r\n" +
		"# rule:[Secrétariat]\r\n" +
		"if allof (header :is \"from\" \"dr.martin@chu-nantes.mssante.fr\", header :contains \"subject\" \"résultats\")\r\n" +
		"{\r\n\tfileinto \"INBOX/Secrétariat\";\r\n}\r\n"
	policy, diags := sieve.ImportWithOptions("roundcube.sieve", []byte(script), sieve.ImportOptions{Repair: true})
	fmt.Print(string(parser.Format(policy)), diags)
	// Output:
	// rule "Secrétariat" {
	//     when all {
	//         from is "dr.martin@chu-nantes.mssante.fr"
	//         header "subject" contains "résultats"
	//     }
	//     file into "INBOX/Secrétariat"
	// }
	// roundcube.sieve:3:11: warning: header :is "from" read as "from is": the address of the From field is compared, display name or not
	// roundcube.sieve:3:91: warning: key "résultats" compared with Unicode case folding, as meant: it now matches "RÉSULTATS" too, which Sieve's i;ascii-casemap did not
}
