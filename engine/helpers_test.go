package engine

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/engine/vacation"
	"github.com/tamis-mss/tamis/internal/testenv"
	"github.com/tamis-mss/tamis/mssante"
	"github.com/tamis-mss/tamis/rules"
)

const mailbox = "cabinet-des-lilas.93260@esantepdl.mssante.fr"

var (
	fullOnce sync.Once
	fullList *mssante.List
	fullErr  error
)

// published returns the 2025-03-13 trust list of the repository's
// testdata, loaded once with its checksum.
func published(t testing.TB) *mssante.List {
	t.Helper()
	fullOnce.Do(func() { fullList, fullErr = mssante.LoadList(testenv.TrustList(t), testenv.TrustListSHA256) })
	require.NoError(t, fullErr)
	return fullList
}

// trust returns a fresh trust space holding the published list.
func trust(t testing.TB) *mssante.TrustSpace { return mssante.NewTrustSpace(published(t)) }

// parseMsg parses a message written with "\n" line ends.
func parseMsg(t testing.TB, raw string) *message.Message {
	t.Helper()
	m, err := message.Parse([]byte(strings.ReplaceAll(raw, "\n", "\r\n")), message.Options{})
	require.NoError(t, err)
	return m
}

// simpleMsg is a plain message from dr.martin to the cabinet.
func simpleMsg(t testing.TB, from, subject string) *message.Message {
	return parseMsg(t, "From: "+from+"\nTo: "+mailbox+"\nSubject: "+subject+
		"\nMessage-ID: <123@chu-nantes.mssante.fr>\nDate: Mon, 6 Jan 2025 10:00:00 +0100\n\nBonjour,\nvoici les résultats.\n")
}

// policy builds a policy named test.rules for the cabinet's mailbox.
func policy(stmts ...rules.Statement) *rules.Policy {
	mb := rules.Lit(mailbox)
	return &rules.Policy{File: "test.rules", Mailbox: &mb, Statements: stmts}
}

// at gives every rule, action and condition a distinct position so that the
// results can name them.
var line = 0

func pos() rules.Node {
	line++
	return rules.Node{Range: rules.Range{File: "test.rules", Start: rules.Pos{Line: line, Column: 5, Offset: line * 10}}}
}

func rule(name string, when rules.Condition, actions ...rules.Action) *rules.Rule {
	return &rules.Rule{Node: pos(), Name: rules.Lit(name), When: when, Actions: actions}
}

func lit(s string) rules.Literal { return rules.Literal{Value: s, Range: pos().Range} }

func match(kind rules.MatchKind, keys ...string) rules.Match {
	return rules.Match{Kind: kind, Keys: rules.Lits(keys...)}
}

func fromIs(keys ...string) *rules.AddressTest {
	return &rules.AddressTest{Node: pos(), Field: rules.FieldFrom, Match: match(rules.Is, keys...)}
}

func subjectHas(keys ...string) *rules.HeaderTest {
	return &rules.HeaderTest{Node: pos(), Names: rules.Lits("Subject"), Match: match(rules.Contains, keys...)}
}

func header(name string, kind rules.MatchKind, keys ...string) *rules.HeaderTest {
	return &rules.HeaderTest{Node: pos(), Names: rules.Lits(name), Match: match(kind, keys...)}
}

func all(cs ...rules.Condition) *rules.All   { return &rules.All{Node: pos(), Conds: cs} }
func anyOf(cs ...rules.Condition) *rules.Any { return &rules.Any{Node: pos(), Conds: cs} }

func keep() *rules.Keep               { return &rules.Keep{Node: pos()} }
func discard() *rules.Discard         { return &rules.Discard{Node: pos()} }
func stop() *rules.Stop               { return &rules.Stop{Node: pos()} }
func reject(r string) *rules.Reject   { return &rules.Reject{Node: pos(), Reason: lit(r)} }
func reroute(a string) *rules.Reroute { return &rules.Reroute{Node: pos(), Target: lit(a)} }
func copyTo(a string) *rules.Copy     { return &rules.Copy{Node: pos(), Target: lit(a)} }
func fileInto(f string) *rules.FileInto {
	return &rules.FileInto{Node: pos(), Folder: lit(f)}
}
func flagAction(fs ...string) *rules.Flag { return &rules.Flag{Node: pos(), Flags: rules.Lits(fs...)} }

// compile compiles with the published list (and a fresh in-memory reply
// tracker unless opts has one) and fails on error diagnostics.
func compile(t testing.TB, p *rules.Policy, opts Options) *Program {
	t.Helper()
	if opts.Trust == nil {
		opts.Trust = trust(t)
	}
	if opts.Tracker == nil {
		opts.Tracker = vacation.NewMemoryTracker(0)
	}
	prog, diags := Compile(context.Background(), p, opts)
	require.False(t, diags.HasErrors(), "diagnostics:\n%s", diags.Error())
	require.NotNil(t, prog)
	return prog
}

var jan6 = time.Date(2025, 1, 6, 10, 0, 0, 0, time.UTC) // a Monday

func deliver(m Message) Delivery {
	return Delivery{Message: m, EnvelopeFrom: "dr.martin@chu-nantes.mssante.fr", EnvelopeTo: mailbox, Time: jan6}
}

func eval(p *Program, d Delivery) Result { return p.Evaluate(context.Background(), d) }
