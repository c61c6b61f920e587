package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/parser"
)

// FuzzEvaluate evaluates the seed cabinet policy on arbitrary messages: the
// evaluation never panics (a recovered panic would be a PanicError), and a
// result is either the fail-safe one or free of errors.
func FuzzEvaluate(f *testing.F) {
	src, err := os.ReadFile("testdata/cabinet/policy.rules")
	if err != nil {
		f.Fatal(err)
	}
	pol, diags := parser.Parse("policy.rules", src, parser.DefaultOptions())
	if diags.HasErrors() {
		f.Fatal(diags)
	}
	p, diags := Compile(context.Background(), pol, Options{Trust: trust(f)})
	if p == nil {
		f.Fatal(diags)
	}
	emls, _ := filepath.Glob("testdata/*/*.eml")
	for _, e := range emls {
		raw, err := os.ReadFile(e)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw, "dr.martin@chu-nantes.mssante.fr", int64(0))
		f.Add(raw, "", int64(10*24*3600))
	}
	start := time.Date(2025, 12, 15, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, raw []byte, from string, offset int64) {
		m, err := message.Parse(raw, message.Options{})
		if err != nil {
			return
		}
		d := Delivery{Message: m, EnvelopeFrom: from, EnvelopeTo: mailbox,
			Time: start.Add(time.Duration(offset%(60*24*3600)) * time.Second), DryRun: true}
		r := p.Evaluate(context.Background(), d)
		// Tracing and explaining follow the same path and decide the same.
		d.Trace, d.Explain = true, true
		x := p.Evaluate(context.Background(), d)
		for _, e := range x.Errors {
			var pe *PanicError
			if errors.As(e, &pe) {
				t.Fatalf("panic while explaining: %v\n%s", pe.Value, pe.Stack)
			}
		}
		if len(x.Actions) != len(r.Actions) || x.ImplicitKeep != r.ImplicitKeep || len(x.Errors) != len(r.Errors) {
			t.Fatalf("explaining changed the decision:\n%s\nexplained:\n%s", r, x)
		}
		for _, e := range r.Errors {
			var pe *PanicError
			if errors.As(e, &pe) {
				t.Fatalf("panic: %v\n%s", pe.Value, pe.Stack)
			}
		}
		if len(r.Errors) > 0 && (!r.ImplicitKeep || len(r.Actions) > 0 || r.Reply != nil) {
			t.Fatalf("an error without the fail-safe result:\n%s", r)
		}
		if !r.Kept() && len(r.Actions) == 0 {
			t.Fatalf("the message is neither kept nor acted on:\n%s", r)
		}
	})
}
