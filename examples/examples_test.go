package examples

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tamis-mss/tamis/internal/casefile"
	"github.com/tamis-mss/tamis/internal/casetest"
	"github.com/tamis-mss/tamis/internal/testenv"
	"github.com/tamis-mss/tamis/mssante"
)

var update = flag.Bool("update", false, "rewrite the expect blocks of */*.case with the outcomes computed (never the inputs)")

// TestExamples runs every example case (docs/TESTS.md) with the built-in
// fallback trust list, as "tamis test examples" does.
func TestExamples(t *testing.T) {
	casetest.Run(t, "*/*"+casefile.Ext, casetest.Options{Update: *update, Min: 6, Clean: true})
}

// Every address of the examples is in a domain of the published list, so
// the outcomes are the same as with the fallback.
func TestExamplesPublishedTrustList(t *testing.T) {
	l, err := mssante.LoadList(testenv.TrustList(t), testenv.TrustListSHA256)
	if err != nil {
		t.Fatal(err)
	}
	if !l.Verified() {
		t.Fatal("the published list should count as verified")
	}
	casetest.Run(t, "*/*"+casefile.Ext, casetest.Options{Trust: mssante.NewTrustSpace(l), Min: 6, Clean: true})
}

// The examples cover what the documentation promises: each kind of message
// appears in at least one of them.
func TestExamplesCoverMessageKinds(t *testing.T) {
	msgs, err := filepath.Glob("*/messages/*.eml")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"encoded header (RFC 2047)":   "=?UTF-8?",
		"ISO-8859-1 header":           "=?ISO-8859-1?",
		"display-name From":           "From: \"Dr ",
		"read receipt (MDN)":          "report-type=disposition-notification",
		"bounce (DSN)":                "report-type=delivery-status",
		"mailing list":                "List-Id:",
		"attachment":                  "Content-Disposition: attachment",
		"HTML-only body":              "Content-Type: text/html",
		"patient sender":              "@patient.mssante.fr>",
		"end of exchange (X-MSS-MES)": "X-MSS-MES: FIN",
	}
	for kind, marker := range want {
		found := false
		for _, m := range msgs {
			raw, err := os.ReadFile(m)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(raw), marker) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no example message has a %s (%q)", kind, marker)
		}
	}
}

// BenchmarkExamples runs every example case: read the case, parse and
// compile the policy, read and evaluate each message. ns/op is for all six
// cases (37 deliveries).
func BenchmarkExamples(b *testing.B) {
	files, err := filepath.Glob("*/*" + casefile.Ext)
	if err != nil {
		b.Fatal(err)
	}
	trust := mssante.NewTrustSpace(nil)
	b.ReportAllocs()
	for b.Loop() {
		for _, path := range files {
			f, err := casefile.ReadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			if res := casefile.Run(context.Background(), f, casefile.Options{Trust: trust}); !res.Passed() {
				b.Fatalf("%s fails", path)
			}
		}
	}
}
