package engine

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/rules"
)

// The index must not change any outcome: random policies mixing indexed
// "from is" rules (alone or in an "all"), "envelope from is" rules,
// negated and case-sensitive ones (not indexed), stops and conflicting
// actions give the same result with the index and sequentially (Trace
// disables the index).
func TestIndexMatchesSequential(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	senders := []string{"a@chu-nantes.mssante.fr", "B@chu-nantes.mssante.fr", "c@medecin.mssante.fr", "Élodie@medecin.mssante.fr", "d@labo.mssante.fr"}
	targets := []string{gcs, rempl, "x@medecin.mssante.fr", "y@medecin.mssante.fr", "z@medecin.mssante.fr"}
	pick := func(ss []string) string { return ss[rng.IntN(len(ss))] }
	cond := func() rules.Condition {
		keys := []string{pick(senders)}
		if rng.IntN(3) == 0 {
			keys = append(keys, pick(senders))
		}
		switch rng.IntN(7) {
		case 0:
			return fromIs(keys...)
		case 1:
			return all(fromIs(keys...), subjectHas(pick([]string{"urgent", "cr", ""})))
		case 2:
			return &rules.AddressTest{Node: pos(), Field: rules.FieldEnvelopeFrom, Match: match(rules.Is, keys...)}
		case 3:
			return &rules.Not{Node: pos(), Cond: fromIs(keys...)}
		case 4:
			return &rules.AddressTest{Node: pos(), Field: rules.FieldFrom, Match: rules.Match{Kind: rules.Is, Keys: rules.Lits(keys...), CaseSensitive: true}}
		case 5:
			return anyOf(fromIs(keys...), subjectHas("urgent"))
		}
		return nil
	}
	action := func() rules.Action {
		switch rng.IntN(9) {
		case 0:
			return keep()
		case 1:
			return discard()
		case 2:
			return reject("non")
		case 3:
			return reroute(pick(targets))
		case 4:
			return copyTo(pick(targets))
		case 5:
			return fileInto(pick([]string{"A", "B"}))
		case 6:
			return flagAction(pick([]string{`\Seen`, "$X"}))
		case 7:
			return stop()
		}
		return fileInto("C")
	}
	var msgs []*message.Message
	for _, s := range senders {
		for _, subj := range []string{"URGENT", "cr", "rien"} {
			msgs = append(msgs, simpleMsg(t, s, subj))
		}
	}
	msgs = append(msgs, parseMsg(t, "From: "+senders[0]+", "+senders[2]+"\nSubject: cr\n\n"))
	usedIndex, compared := 0, 0
	for round := range 200 {
		var stmts []rules.Statement
		for i := range 4 + rng.IntN(30) {
			var acts []rules.Action
			for range 1 + rng.IntN(2) {
				acts = append(acts, action())
			}
			r := rule(fmt.Sprint("r", i), cond(), acts...)
			r.Disabled = rng.IntN(10) == 0
			stmts = append(stmts, r)
		}
		pol := policy(stmts...)
		indexed, diags := Compile(context.Background(), pol, Options{Trust: trust(t)})
		if diags.HasErrors() {
			continue // a static conflict: nothing to compare
		}
		sequential := compile(t, pol, Options{Trace: true})
		if indexed.fromIndex != nil || indexed.envIndex != nil {
			usedIndex++
		}
		for _, m := range msgs {
			for _, env := range []string{senders[rng.IntN(len(senders))], ""} {
				d := deliver(m)
				d.EnvelopeFrom = env
				a, b := eval(indexed, d), eval(sequential, d)
				b.Trace = nil
				require.Equal(t, b.Summary(), a.Summary(), "round %d", round)
				compared++
			}
		}
	}
	require.Greater(t, usedIndex, 30, "too few policies used the index")
	require.Greater(t, compared, 1000)
}

func TestIndexBuilt(t *testing.T) {
	p := compile(t, fromRules(100), Options{})
	require.Len(t, p.fromIndex, 100)
	require.Equal(t, []int32{0}, p.plain) // the absence block
	// With too few indexable rules, evaluation is sequential.
	p = compile(t, fromRules(2), Options{})
	require.Nil(t, p.fromIndex)
}
