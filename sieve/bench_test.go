package sieve

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/tamis-mss/tamis/rules"
)

// largeScript returns a Roundcube-style script of n filters and one
// vacation, CRLF and TAB-indented.
func largeScript(n int) []byte {
	var b strings.Builder
	b.WriteString("require [\"fileinto\",\"copy\",\"vacation\",\"date\",\"relational\"];\r\n")
	for i := range n {
		fmt.Fprintf(&b, "# rule:[Filtre %d]\r\n", i)
		if i%10 == 9 {
			fmt.Fprintf(&b, "if false # header :contains \"subject\" \"désactivé %d\"\r\n", i)
		} else {
			fmt.Fprintf(&b, "if allof (header :is \"from\" \"dr.%d@chu-nantes.mssante.fr\", header :contains \"subject\" [\"ordonnance\",\"résultats %d\"])\r\n", i, i)
		}
		fmt.Fprintf(&b, "{\r\n\tfileinto \"INBOX/Dossier %d\";\r\n\tredirect :copy \"secretariat@medecin.mssante.fr\";\r\n}\r\n", i)
	}
	b.WriteString("# rule:[Absence]\r\nif allof (currentdate :zone \"+0200\" :value \"ge\" \"date\" \"2026-07-01\", currentdate :zone \"+0200\" :value \"le\" \"date\" \"2026-07-31\")\r\n{\r\n\tvacation :days 7 :subject \"Absence\" text:\r\nBonjour,\r\n..\r\n.\r\n;\r\n}\r\n")
	return []byte(b.String())
}

func BenchmarkImport(b *testing.B) {
	hasFoldVariants("é") // the folding table is built once per process (about 50 ms): not timed
	roundcube, err := os.ReadFile("testdata/import/roundcube_filters.sieve")
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		src  []byte
	}{{"roundcube", roundcube}, {"filters-100", largeScript(100)}, {"filters-1000", largeScript(1000)}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.src)))
			for b.Loop() {
				if _, diags := Import("bench.sieve", c.src); diags.HasErrors() {
					b.Fatal(diags)
				}
			}
		})
	}
}

func BenchmarkExport(b *testing.B) {
	typical, _ := parsePolicy(b, "testdata/export/typical.rules")
	large, diags := Import("large.sieve", largeScript(1000))
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	for _, c := range []struct {
		name string
		p    *rules.Policy
	}{{"typical", typical}, {"filters-1000", large}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, diags := Export(c.p); diags.HasErrors() {
					b.Fatal(diags)
				}
			}
		})
	}
}
