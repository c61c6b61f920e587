package oracle

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// FuzzParseReport feeds the parser mutations of the captured reports: it
// must never panic, and what it accepts must be well formed.
func FuzzParseReport(f *testing.F) {
	outs, err := filepath.Glob(filepath.Join("testdata", "*.out"))
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range outs {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	kinds := []string{KindKeep, KindFileInto, KindDiscard, KindReject, KindRedirect, KindVacation}
	f.Fuzz(func(t *testing.T, stdout string) {
		o, err := ParseReport(stdout)
		if err != nil {
			return
		}
		vacations := 0
		for _, a := range o.Actions {
			if !slices.Contains(kinds, a.Kind) {
				t.Fatalf("unknown kind %q accepted", a.Kind)
			}
			if a.Kind == KindVacation {
				vacations++
			}
		}
		if (vacations == 1) != (o.Vacation != nil) || vacations > 1 {
			t.Fatalf("%d vacation actions but Vacation = %v", vacations, o.Vacation)
		}
		again, err := ParseReport(stdout)
		if err != nil || again.Summary() != o.Summary() {
			t.Fatalf("parsing twice differs: %v", err)
		}
	})
}
