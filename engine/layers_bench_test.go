package engine_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/rules"
)

// benchRules writes n rules that do not match the benchmark's message.
func benchRules(prefix string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "rule \"%s %d\" {\n    when subject contains \"%s-%d\"\n    file into \"%s\"\n}\n", prefix, i, prefix, i, prefix)
	}
	return b.String()
}

// BenchmarkLayers compares a mailbox's policy split into three layers
// (10 operator rules before, 10 user rules, 10 operator rules after) with
// the same 30 rules in one policy, on a message no rule matches (the keep
// path, which runs every layer).
func BenchmarkLayers(b *testing.B) {
	before := parseLayer(b, "before.rules", benchRules("avant", 10))
	user := parseLayer(b, "user.rules", benchRules("moi", 10))
	after := parseLayer(b, "after.rules", benchRules("apres", 10))
	one := parseLayer(b, "one.rules", benchRules("avant", 10)+benchRules("moi", 10)+benchRules("apres", 10))
	opts := engine.DefaultOptions()
	opts.Mailbox = layerMailbox
	layered, d := engine.CompileLayers(context.Background(), engine.Layers{Before: []*rules.Policy{before}, User: user, After: []*rules.Policy{after}}, opts)
	if d.HasErrors() {
		b.Fatal(d)
	}
	single, d := engine.Compile(context.Background(), one, opts)
	if d.HasErrors() {
		b.Fatal(d)
	}
	m := layerMsg(b)
	del := engine.Delivery{Message: m, EnvelopeFrom: layerSender, EnvelopeTo: layerMailbox}
	for _, bc := range []struct {
		name string
		prog *engine.Program
	}{{"three-layers", layered}, {"one-policy", single}} {
		b.Run(bc.name, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if res := bc.prog.Evaluate(ctx, del); !res.ImplicitKeep {
					b.Fatal(res.Summary())
				}
			}
		})
	}
}
