package sieve

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/engine/vacation"
	"github.com/tamis-mss/tamis/rules"
)

const testMailbox = "cabinet@medecin.mssante.fr"

// alwaysTracker lets every reply through, so that each evaluation shows
// whether the policy replies.
type alwaysTracker struct{}

func (alwaysTracker) Claim(context.Context, vacation.Key, time.Time, time.Duration) (bool, error) {
	return true, nil
}

type testMessage struct {
	name string
	msg  *message.Message
	from string
}

func loadMessages(t testing.TB) []testMessage {
	t.Helper()
	files, err := filepath.Glob("testdata/messages/*.eml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	var out []testMessage
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		m, err := message.Parse(raw, message.DefaultOptions())
		require.NoError(t, err)
		from := ""
		if as := m.Addresses("From"); len(as) > 0 {
			from = as[0].String()
		}
		out = append(out, testMessage{name: filepath.Base(f), msg: m, from: from})
	}
	return out
}

// testTimes returns instants around every window bound of p (one second
// and one minute on each side), then every hour of two weeks, one in
// winter and one in summer, and every half hour of the weeks of the
// daylight-saving changes, for weekly hours.
func testTimes(t testing.TB, p *rules.Policy) []time.Time {
	loc, err := time.LoadLocation(p.Zone())
	require.NoError(t, err)
	var out []time.Time
	around := func(x time.Time) {
		for _, d := range []time.Duration{-time.Minute, -time.Second, 0, time.Second, time.Minute} {
			out = append(out, x.Add(d))
		}
	}
	var walk func(c rules.Condition)
	window := func(w rules.Window) {
		if w.From != nil {
			around(w.From.StartIn(loc))
		}
		if w.Until != nil {
			around(w.Until.EndIn(loc))
		}
	}
	walk = func(c rules.Condition) {
		switch c := c.(type) {
		case *rules.Not:
			walk(c.Cond)
		case *rules.All:
			for _, d := range c.Conds {
				walk(d)
			}
		case *rules.Any:
			for _, d := range c.Conds {
				walk(d)
			}
		case *rules.BetweenTest:
			window(c.Window)
		}
	}
	for _, s := range p.Statements {
		switch s := s.(type) {
		case *rules.Rule:
			walk(s.When)
		case *rules.Vacation:
			walk(s.When)
			for _, w := range s.Windows {
				window(w)
			}
		}
	}
	for _, start := range []time.Time{time.Date(2026, 1, 12, 0, 30, 0, 0, time.UTC), time.Date(2026, 7, 13, 0, 30, 0, 0, time.UTC)} {
		for h := range 14 * 24 {
			out = append(out, start.Add(time.Duration(h)*time.Hour))
		}
	}
	// The weeks of the 2026 daylight-saving changes, every 30 minutes and
	// one second before each.
	for _, start := range []time.Time{time.Date(2026, 3, 26, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 22, 0, 0, 0, 0, time.UTC)} {
		for m := 0; m < 7*24*60; m += 30 {
			at := start.Add(time.Duration(m) * time.Minute)
			out = append(out, at, at.Add(-time.Second))
		}
	}
	return out
}

// outcome summarises what the engine does with one delivery.
func outcome(r engine.Result) string {
	var b strings.Builder
	for _, a := range r.Actions {
		b.WriteString(a.String() + "; ")
	}
	fmt.Fprintf(&b, "implicit keep %v", r.ImplicitKeep)
	if r.Reply != nil {
		fmt.Fprintf(&b, "; reply from %s subject %q period %s", r.Reply.From, r.Reply.Subject, r.Reply.Period)
		body := string(r.Reply.Bytes)
		if i := strings.Index(body, "\r\n\r\n"); i >= 0 {
			fmt.Fprintf(&b, " body %q", body[i+4:])
		}
	}
	if r.Suppressed != nil {
		fmt.Fprintf(&b, "; suppressed %s", r.Suppressed.Code)
	}
	for _, e := range r.Errors {
		_ = e // positions differ between the two sources
		b.WriteString("; error")
	}
	return b.String()
}

func compile(t testing.TB, p *rules.Policy) *engine.Program {
	t.Helper()
	opts := engine.DefaultOptions()
	opts.Tracker = alwaysTracker{}
	opts.Mailbox = testMailbox
	prog, diags := engine.Compile(context.Background(), p, opts)
	require.False(t, diags.HasErrors(), "%v", diags)
	return prog
}

// sameBehaviour evaluates p and q on every test message at every test
// time and requires the same outcome.
func sameBehaviour(t *testing.T, p, q *rules.Policy) {
	t.Helper()
	pp, qp := compile(t, p), compile(t, q)
	times := testTimes(t, p)
	differ := 0
	for _, m := range loadMessages(t) {
		for _, at := range times {
			d := engine.Delivery{Message: m.msg, EnvelopeFrom: m.from, EnvelopeTo: testMailbox, Time: at}
			want, got := outcome(pp.Evaluate(context.Background(), d)), outcome(qp.Evaluate(context.Background(), d))
			if want != got {
				differ++
				if differ <= 5 {
					t.Errorf("%s at %s:\n original: %s\nround trip: %s", m.name, at.Format(time.RFC3339), want, got)
				}
			}
		}
	}
}

// TestRoundTripPolicies checks import(export(p)) against p for every
// exportable policy of testdata/export and of the engine's golden cases: the same policy where nothing was
// rewritten, and the same behaviour under the engine in every case.
func TestRoundTripPolicies(t *testing.T) {
	files, err := filepath.Glob("testdata/export/*.rules")
	require.NoError(t, err)
	var golden []string
	for _, c := range differentialCases(t) {
		p, err := c.PolicyPath()
		require.NoError(t, err)
		golden = append(golden, p)
	}
	slices.Sort(golden)
	tested := 0
	for _, path := range append(files, golden...) {
		p, _ := parsePolicy(t, path)
		script, diags := Export(p)
		if diags.HasErrors() {
			continue
		}
		tested++
		name := filepath.Base(path)
		if name == "policy.rules" {
			name = filepath.Base(filepath.Dir(path))
		}
		t.Run(name, func(t *testing.T) {
			back, idiags := Import("exported.sieve", script)
			require.False(t, idiags.HasErrors(), "%s\n%s", script, idiags.Render(map[string][]byte{"exported.sieve": script}))
			rewritten := slices.ContainsFunc(append(diags, idiags...), func(d rules.Diagnostic) bool { return d.Code == CodeRewritten })
			if !rewritten && !hasDuring(p) {
				require.Equal(t, dumpNoComments(canonicalBounds(t, p)), dumpNoComments(canonicalBounds(t, back)))
			}
			again, _ := Export(back)
			if !hasDuring(p) {
				require.Equal(t, string(script), string(again), "export(import(export(p))) differs from export(p)")
			}
			back2, _ := Import("again.sieve", again)
			again2, _ := Export(back2)
			require.Equal(t, string(again), string(again2), "export∘import is not stable after one round")
			if _, cdiags := engine.Compile(context.Background(), p, engine.DefaultOptions()); !cdiags.HasErrors() {
				sameBehaviour(t, p, back)
			}
		})
	}
	require.GreaterOrEqual(t, tested, 40)
}

// canonicalReply writes the reply's period in its largest unit, the form
// Import gives.
func canonicalReply(_ *rules.Policy, r rules.Reply) rules.Reply {
	r.Period = canonicalPeriod(r.Period)
	return r
}

// canonicalPeriod writes a period in the largest unit that divides it:
// Sieve has only :days and :seconds, so "every 1 hours" comes back from
// ":seconds 3600" as it went, but "every 3600 seconds" comes back as 1 hour.
func canonicalPeriod(p *rules.Period) *rules.Period {
	if p == nil {
		return nil
	}
	d := p.Duration()
	for _, u := range []rules.Unit{rules.Days, rules.Hours, rules.Minutes, rules.Seconds} {
		if d > 0 && d%u.Duration() == 0 {
			return &rules.Period{Amount: int64(d / u.Duration()), Unit: u}
		}
	}
	return &rules.Period{Amount: p.Amount, Unit: p.Unit}
}

// hasDuring reports whether p has weekly hours, which Import writes back
// in a canonical form of its own (days grouped, no span past midnight).
func hasDuring(p *rules.Policy) bool {
	return strings.Contains(rules.DumpWithoutPositions(p), "during")
}

// canonicalBounds returns a copy of p whose window bounds are rewritten
// from the instants they stand for, so that "02:30" on a spring-forward
// day and the "03:30" it means compare equal, and whose replies are in the
// canonical form of canonicalReply.
func canonicalBounds(t testing.TB, p *rules.Policy) *rules.Policy {
	loc, err := time.LoadLocation(p.Zone())
	require.NoError(t, err)
	canon := func(b *rules.Bound, from bool) *rules.Bound {
		if b == nil {
			return nil
		}
		at := b.EndIn(loc)
		if from {
			at = b.StartIn(loc)
		}
		l := at.In(loc)
		c := &rules.Bound{Date: rules.Date{Year: l.Year(), Month: l.Month(), Day: l.Day()}, Time: rules.Clock{Hour: l.Hour(), Minute: l.Minute()}, HasTime: true}
		if !from && l.Hour() == 0 && l.Minute() == 0 {
			prev := l.AddDate(0, 0, -1)
			c = &rules.Bound{Date: rules.Date{Year: prev.Year(), Month: prev.Month(), Day: prev.Day()}}
		} else if from && l.Hour() == 0 && l.Minute() == 0 {
			c.HasTime = false
		}
		return c
	}
	window := func(w rules.Window) rules.Window {
		return rules.Window{From: canon(w.From, true), Until: canon(w.Until, false)}
	}
	var cond func(c rules.Condition) rules.Condition
	cond = func(c rules.Condition) rules.Condition {
		switch c := c.(type) {
		case *rules.Not:
			return &rules.Not{Cond: cond(c.Cond)}
		case *rules.All:
			out := &rules.All{}
			for _, d := range c.Conds {
				out.Conds = append(out.Conds, cond(d))
			}
			return out
		case *rules.Any:
			out := &rules.Any{}
			for _, d := range c.Conds {
				out.Conds = append(out.Conds, cond(d))
			}
			return out
		case *rules.BetweenTest:
			return &rules.BetweenTest{Window: window(c.Window)}
		case *rules.AddressTest:
			// address "Cc" … and cc … test the same field: Import reads
			// Sieve's header name back as the keyword.
			if c.Field == rules.FieldHeader && len(c.Headers) == 1 {
				if f, ok := rules.HeaderField(c.Headers[0].Value); ok {
					k := *c
					k.Field, k.Headers = f, nil
					return &k
				}
			}
		}
		return c
	}
	period := func(as []rules.Action) []rules.Action {
		out := make([]rules.Action, 0, len(as))
		for _, a := range as {
			if r, ok := a.(*rules.Reply); ok {
				c := canonicalReply(p, *r)
				a = &c
			}
			out = append(out, a)
		}
		return out
	}
	q := *p
	q.Statements = nil
	for _, s := range p.Statements {
		switch s := s.(type) {
		case *rules.Rule:
			r := *s
			r.When = cond(r.When)
			r.Actions = period(r.Actions)
			q.Statements = append(q.Statements, &r)
		case *rules.Vacation:
			v := *s
			v.When = cond(v.When)
			v.Reply = canonicalReply(p, v.Reply)
			v.Windows = nil
			for _, w := range s.Windows {
				v.Windows = append(v.Windows, window(w))
			}
			q.Statements = append(q.Statements, &v)
		}
	}
	return &q
}
