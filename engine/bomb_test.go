package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/rules"
)

// The resource bombs of issue 10: policies inside the parser's limits
// (10,000 statements, 64 KiB strings) that would take seconds to minutes
// per message, or to compile. Each must end within its budget: at compile
// time with a "limit" diagnostic, or at evaluation with a *BudgetError and
// the fail-safe keep.

// bigBody is a message whose body is just under message.Options'
// default MaxBodyBytes (1 MiB), so that it is read, and tested, whole.
func bigBody(t testing.TB) Message {
	line := "Compte rendu de consultation du patient, examen clinique sans particularité.\n"
	body := strings.Repeat(line, (1<<20-4096)/len(line))
	return parseMsg(t, "From: "+drMartin+"\nTo: "+mailbox+"\nSubject: CR\n\n"+body)
}

// bodyRules is a policy of n rules "body KIND KEY", keys from key(i).
func bodyRules(n int, kind rules.MatchKind, key func(i int) string) *rules.Policy {
	stmts := make([]rules.Statement, n)
	for i := range n {
		stmts[i] = rule(fmt.Sprint("r", i), &rules.BodyTest{Node: pos(), Match: match(kind, key(i))}, fileInto(fmt.Sprint("F", i)))
	}
	return policy(stmts...)
}

func regexKey(i int) string { return fmt.Sprintf(`(urgen(t|ce)|résultat)s? n°%d[a-z]+`, i) }

// sixteenStars is a glob that backtracks on every "*" and never matches
// the body.
func sixteenStars(i int) string {
	return strings.Repeat("*a", 16) + fmt.Sprint("*absent", i)
}

func containsAnyKeys(n int) *rules.Policy {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("mot-clé-%d", i)
	}
	return policy(rule("contains any", &rules.BodyTest{Node: pos(), Match: match(rules.Contains, keys...)}, discard()))
}

func requireLimit(t testing.TB, diags rules.Diagnostics) {
	t.Helper()
	require.True(t, diags.HasErrors())
	require.Contains(t, codes(diags), rules.CodeLimit, "%s", diags)
}

func requireOverBudget(t testing.TB, r Result) {
	t.Helper()
	require.True(t, r.ImplicitKeep)
	require.Empty(t, r.Actions)
	require.Len(t, r.Errors, 1, "%s", r)
	var be *BudgetError
	require.True(t, errors.As(r.Errors[0], &be), "%v", r.Errors[0])
}

func TestBombsEndWithinBudget(t *testing.T) {
	m := bigBody(t)
	t.Run("10000 body regex: compile limit", func(t *testing.T) {
		_, diags := Compile(context.Background(), bodyRules(10000, rules.Regex, regexKey), Options{Trust: trust(t)})
		requireLimit(t, diags)
	})
	t.Run("body regex under the compile limit: evaluation budget", func(t *testing.T) {
		p := compile(t, bodyRules(500, rules.Regex, regexKey), Options{MaxScanBytes: 16 << 20})
		requireOverBudget(t, eval(p, deliver(m)))
	})
	t.Run("10000 body matches with 16 stars: evaluation budget", func(t *testing.T) {
		p := compile(t, bodyRules(10000, rules.Matches, sixteenStars), Options{MaxScanBytes: 16 << 20})
		requireOverBudget(t, eval(p, deliver(m)))
	})
	t.Run("contains any with 60000 keys: compile limit", func(t *testing.T) {
		_, diags := Compile(context.Background(), containsAnyKeys(60000), Options{Trust: trust(t)})
		requireLimit(t, diags)
	})
	t.Run("contains any at the key limit: evaluation budget", func(t *testing.T) {
		p := compile(t, containsAnyKeys(DefaultMaxScanKeys), Options{MaxScanBytes: 16 << 20})
		requireOverBudget(t, eval(p, deliver(m)))
	})
	t.Run("steps", func(t *testing.T) {
		p := compile(t, bodyRules(100, rules.Contains, func(i int) string { return fmt.Sprint("absent", i) }), Options{MaxSteps: 50})
		requireOverBudget(t, eval(p, deliver(simpleMsg(t, drMartin, "x"))))
	})
	t.Run("a realistic policy is far from the budget", func(t *testing.T) {
		p := compile(t, typicalPolicy(), Options{})
		r := eval(p, deliver(m))
		require.Empty(t, r.Errors)
	})
}

// BenchmarkBombs times the bombs with the default budget and limits: each
// ends, at compile time or at evaluation.
func BenchmarkBombs(b *testing.B) {
	m := bigBody(b)
	ctx := context.Background()
	ts := trust(b)
	b.Run("compile/body-regex=10000", func(b *testing.B) {
		pol := bodyRules(10000, rules.Regex, regexKey)
		b.ReportAllocs()
		for b.Loop() {
			_, diags := Compile(context.Background(), pol, Options{Trust: ts})
			requireLimit(b, diags)
		}
	})
	b.Run("compile/contains-keys=60000", func(b *testing.B) {
		pol := containsAnyKeys(60000)
		b.ReportAllocs()
		for b.Loop() {
			_, diags := Compile(context.Background(), pol, Options{Trust: ts})
			requireLimit(b, diags)
		}
	})
	for _, bomb := range []struct {
		name string
		pol  *rules.Policy
	}{
		{"evaluate/body-regex=1000", bodyRules(1000, rules.Regex, regexKey)},
		{"evaluate/body-matches-16-stars=10000", bodyRules(10000, rules.Matches, sixteenStars)},
		{fmt.Sprint("evaluate/contains-keys=", DefaultMaxScanKeys), containsAnyKeys(DefaultMaxScanKeys)},
	} {
		p := compile(b, bomb.pol, Options{Trust: ts})
		d := deliver(m)
		b.Run(bomb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				requireOverBudget(b, p.Evaluate(ctx, d))
			}
		})
	}
}
