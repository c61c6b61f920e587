package parser_test

import (
	"fmt"

	"github.com/tamis-mss/tamis/parser"
	"github.com/tamis-mss/tamis/rules"
)

func ExampleParse() {
	src := []byte(`mailbox "cabinet@medecin.mssante.fr"

rule "Patients" {
    when sender is patient
    file into "INBOX/Patients"
}
`)
	p, diags := parser.Parse("cabinet.rules", src, parser.DefaultOptions())
	if diags.HasErrors() {
		fmt.Print(diags.Render(map[string][]byte{"cabinet.rules": src}))
		return
	}
	fmt.Print(rules.Dump(p))
	// Output:
	// policy "cabinet.rules"
	//   mailbox "cabinet@medecin.mssante.fr"@1:9
	//   rule "Patients"@3:6 @3:1
	//     when
	//       predicate sender is patient @4:10
	//     fileinto "INBOX/Patients"@5:15 @5:5
}

func ExampleFormat() {
	src := []byte(`# Garde
rule "Garde" { when any { from is "a@chu.mssante.fr"; subject contains ["garde","astreinte"] } ; copy to "garde@chu.mssante.fr" } # fin
`)
	p, _ := parser.Parse("garde.rules", src, parser.DefaultOptions())
	fmt.Print(string(parser.Format(p)))
	// Output:
	// # Garde
	// rule "Garde" {  # fin
	//     when any {
	//         from is "a@chu.mssante.fr"
	//         subject contains any ["garde", "astreinte"]
	//     }
	//     copy to "garde@chu.mssante.fr"
	// }
}

func ExampleParse_diagnostics() {
	src := []byte(`timezone "Europe/Pari"

rule "Copie" {
    copie to "remplacant@medecin.mssante.fr"
}

vacation "Noël" {
    from 2025-12-24 until 2025-02-30
    reply ""
}
`)
	_, diags := parser.Parse("cabinet.rules", src, parser.DefaultOptions())
	fmt.Print(diags.Render(map[string][]byte{"cabinet.rules": src}))
	// Output:
	// cabinet.rules:1:10: error: unknown time zone "Europe/Pari" [unknown-timezone]
	//     timezone "Europe/Pari"
	//              ^^^^^^^^^^^^^
	//     hint: did you mean "Europe/Paris"?
	// cabinet.rules:4:5: error: unknown keyword "copie" in a rule [unknown-keyword]
	//         copie to "remplacant@medecin.mssante.fr"
	//         ^^^^^
	//     hint: did you mean "copy to"?
	// cabinet.rules:8:27: error: 2025-02-30 is not a date [invalid-date]
	//         from 2025-12-24 until 2025-02-30
	//                               ^^^^^^^^^^
	//     hint: February 2025 has 28 days
	// cabinet.rules:9:11: error: empty reply text [empty-reply]
	//         reply ""
	//               ^^
	//     hint: write the text of the reply between the quotes
}
