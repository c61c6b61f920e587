package parser_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

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

func ExampleParseFile() {
	dir, err := os.MkdirTemp("", "tamis-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "cabinet.rules")
	src := "mailbox \"cabinet@medecin.mssante.fr\"\n\nrule \"Nuit\" {\n    when during mon-fri 19:00-08:00\n    flag \"$Nuit\"\n}\n\nrule \"Taille\" {\n    when size over 25Mo\n    reject \"Trop volumineux.\"\n}\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		fmt.Println(err)
		return
	}
	p, source, diags, err := parser.ParseFile(path, parser.DefaultOptions())
	if err != nil { // I/O only
		fmt.Println(err)
		return
	}
	fmt.Printf("%d bytes, %d statements, mailbox %s\n", len(source), len(p.Statements), p.Mailbox.Value)
	for _, d := range diags {
		fmt.Printf("%s:%d:%d: %s (hint: %s)\n", filepath.Base(d.Range.File), d.Range.Start.Line, d.Range.Start.Column, d.Message, d.Hint)
	}
	_, _, _, err = parser.ParseFile(filepath.Join(dir, "absent.rules"), parser.DefaultOptions())
	fmt.Println(err != nil)
	// Output:
	// 180 bytes, 2 statements, mailbox cabinet@medecin.mssante.fr
	// cabinet.rules:9:20: unknown size unit "Mo" (hint: did you mean 25M?)
	// true
}

func ExampleEBNF() {
	// The whole grammar is in docs/LANGUAGE.md; here, how a match reads.
	for _, production := range strings.Split(parser.EBNF(), "\n") {
		if strings.HasPrefix(production, "Match =") {
			fmt.Println(production)
		}
	}
	// Output:
	// Match = ("is" | "contains" | "matches" | "regex") (("any" List) | Values) "case-sensitive"? .
}
