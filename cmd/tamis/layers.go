package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/rules"
)

// layerFlags are the repeatable --before and --after flags of check, run and
// test: operator policies that run before and after the policy, as
// Pigeonhole's sieve_before and sieve_after scripts (engine.CompileLayers).
type layerFlags struct {
	before, after []string
}

func (l *layerFlags) register(fs *flag.FlagSet) {
	fs.Func("before", "an operator policy `FILE` that runs before the policy (repeatable, in order; as Pigeonhole's sieve_before)", func(s string) error {
		l.before = append(l.before, s)
		return nil
	})
	fs.Func("after", "an operator policy `FILE` that runs after the policy (repeatable, in order; as Pigeonhole's sieve_after)", func(s string) error {
		l.after = append(l.after, s)
		return nil
	})
}

func (l *layerFlags) set() bool { return len(l.before)+len(l.after) > 0 }

// layers are the operator layer files read and checked.
type layers struct {
	before, after []*checked
}

// all returns the layers in order.
func (ls layers) all() []*checked { return append(append([]*checked{}, ls.before...), ls.after...) }

// policies returns the parsed policies of the layers.
func policies(cs []*checked) []*rules.Policy {
	out := make([]*rules.Policy, len(cs))
	for i, c := range cs {
		out[i] = c.policy
	}
	return out
}

// load reads and checks every layer file on its own, as check does.
func (l *layerFlags) load(opts engine.Options) (layers, error) {
	var ls layers
	for _, p := range l.before {
		c, err := checkPolicy(p, opts)
		if err != nil {
			return ls, fmt.Errorf("--before: %w", err)
		}
		ls.before = append(ls.before, c)
	}
	for _, p := range l.after {
		c, err := checkPolicy(p, opts)
		if err != nil {
			return ls, fmt.Errorf("--after: %w", err)
		}
		ls.after = append(ls.after, c)
	}
	return ls, nil
}

// hasErrors reports whether a layer has error diagnostics.
func (ls layers) hasErrors() bool {
	for _, c := range ls.all() {
		if c.diagnostics.HasErrors() {
			return true
		}
	}
	return false
}

// compile compiles main between the layers. It returns the program and the
// diagnostics that only the sequence shows (a layer naming another mailbox);
// each file's own diagnostics are already in its checked value.
func (ls layers) compile(main *checked, opts engine.Options) (*engine.Program, rules.Diagnostics) {
	prog, diags := engine.CompileLayers(context.Background(), engine.Layers{Before: policies(ls.before), User: main.policy, After: policies(ls.after)}, opts)
	var extra rules.Diagnostics
	for _, d := range diags {
		if d.Code == engine.CodeLayerMailbox {
			extra = append(extra, d)
		}
	}
	return prog, extra
}

// sources maps each file of the sequence to its text, for rendering
// diagnostics.
func (ls layers) sources(main *checked) map[string][]byte {
	m := map[string][]byte{main.path: main.src}
	for _, c := range ls.all() {
		m[c.path] = c.src
	}
	return m
}
