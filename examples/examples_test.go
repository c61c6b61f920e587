package examples

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tamis-mss/tamis/internal/casefile"
	"github.com/tamis-mss/tamis/internal/testenv"
	"github.com/tamis-mss/tamis/mssante"
)

func caseFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*/*" + casefile.Ext)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 6 {
		t.Fatalf("found %d case files, want at least six examples", len(files))
	}
	return files
}

// runCases runs every example case against trust and fails with the diff
// of each delivery that does not meet its expectations.
func runCases(t *testing.T, trust *mssante.TrustSpace) {
	for _, path := range caseFiles(t) {
		t.Run(filepath.Dir(path), func(t *testing.T) {
			f, err := casefile.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			res := casefile.Run(context.Background(), f, casefile.Options{Trust: trust})
			if res.Err != nil {
				t.Fatalf("%v\n%s", res.Err, res.Diagnostics.Render(map[string][]byte{res.PolicyPath: res.Source}))
			}
			if len(res.Diagnostics) > 0 {
				t.Errorf("the example policy has diagnostics:\n%s", res.Diagnostics.Render(map[string][]byte{res.PolicyPath: res.Source}))
			}
			for _, d := range res.Deliveries {
				switch {
				case d.Err != nil:
					t.Errorf("%v", d.Err)
				case d.Delivery.Expect == nil:
					t.Errorf("%s:%d: %s has no expect block; run: go run ./cmd/tamis test --update examples", path, d.Delivery.Line, d.Delivery.Message)
				case d.Diff != "":
					t.Errorf("%s:%d: %s: outcome differs (- expected, + got):\n%s", path, d.Delivery.Line, d.Delivery.Message, d.Diff)
				}
			}
		})
	}
}

func TestExamplesFallbackTrust(t *testing.T) {
	runCases(t, mssante.NewTrustSpace(nil))
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
	runCases(t, mssante.NewTrustSpace(l))
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
