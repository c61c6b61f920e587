package sieve

// Differential test of the Sieve export on the bundled examples
// (../examples/*/*.case), against Dovecot Pigeonhole through
// internal/oracle (skipped when it cannot run here, unless CI is set).
//
// For every case file, the policy is exported. A refusal must be exactly
// the one listed in exampleRefusals (the constructs with no exact Sieve
// equivalent), so that a new refusal fails the test. An exported policy is
// then run on every delivery of the case, in order, by the engine (with the
// case's shared reply tracker, and checked against the case's own
// expectations) and by Pigeonhole (clock and envelope of the delivery,
// -execute when the policy replies), and both outcomes, normalised as in
// oracle_test.go, must be equal.
//
// Pigeonhole's runs are stateless (a fresh throw-away maildir and duplicate
// database each time), so the reply decision is compared with the engine
// evaluating the same delivery with a fresh tracker; where the case's
// shared tracker suppresses a reply already sent within the period, the
// test requires that this be the only difference between the two
// evaluations.
//
// TestExamplesRoundTrip checks import(export(p)) against p for each
// exported example policy, as TestRoundTripPolicies does for the corpus,
// and also on the case's own messages at the case's instants.

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/engine/vacation"
	"github.com/tamis-mss/tamis/internal/casefile"
	"github.com/tamis-mss/tamis/internal/oracle"
	"github.com/tamis-mss/tamis/rules"
)

const examplesDir = "../examples"

// exampleRefusal is the expected refusal of an example policy by Export:
// its error diagnostics, each "code: fragment of the message", and why
// Sieve cannot express them.
type exampleRefusal struct {
	errors []string
	reason string
}

// exampleRefusals lists, by case file (relative to ../examples), the
// example policies Export refuses. Each error diagnostic must match one
// entry (code and message fragment), and every entry one diagnostic.
var exampleRefusals = map[string]exampleRefusal{
	"absence-remplacant/conges.case": {
		errors: []string{`not-expressible: "message is read-receipt"`},
		reason: "\"message is read-receipt\" is a named predicate: named predicates have no Sieve equivalent (sieve/doc.go); the export's hint is to write the header tests meant explicitly",
	},
	"echanges-patients/echanges.case": {
		errors: []string{
			`not-expressible: "sender is patient"`,
			`not-expressible: "sender is patient"`,
			`not-expressible: "sender is patient"`,
		},
		reason: "\"sender is patient\" is a named predicate (sieve/doc.go): tamis looks at the envelope sender, then at From, and checks the patient address itself, which no Sieve test does",
	},
	"hopital-service/tri.case": {
		errors: []string{
			`not-expressible: "message is bounce"`,
			`not-expressible: "message is read-receipt"`,
			`not-expressible: "message is mailing-list"`,
			`not-expressible: regular expression "\\bRCP\\b"`,
		},
		reason: "\"message is bounce/read-receipt/mailing-list\" are named predicates with no Sieve equivalent (sieve/doc.go), and Sieve reads regular expressions as POSIX, byte by byte, where \\b is not an escape",
	},
	"pharmacie/patients.case": {
		errors: []string{
			`not-expressible: "sender is patient"`,
			`not-expressible: "sender is trusted"`,
			`not-expressible: "sender is patient"`,
			`not-expressible: a flag after a keep or file into`,
		},
		reason: "\"sender is patient\" and \"sender is trusted\" are named predicates (sieve/doc.go): tamis checks the patient address itself, and the trust space is a list loaded at run time that Sieve cannot test; a flag after a file into applies to that store in tamis, while Sieve's addflag applies only to the messages stored after it",
	},
}

// exampleDeliberate lists, by "case/message", the deliveries that are not
// compared with Pigeonhole, with the documented reason.
var exampleDeliberate = map[string]string{
	// /work/shared/oracle/README.md: "sieve-test refuses an empty envelope
	// sender (-f \"\" / -f \"<>\"): test null-sender behaviour in our own
	// tests only". The case's own expectation (no reply: null-sender) is
	// still checked below.
	"fermeture-horaires/horaires.case/messages/non-distribue.eml": "null envelope sender (a bounce): sieve-test cannot be run with an empty MAIL FROM",
}

// unresolved lists, by "case/message", disagreements between the engine
// and Pigeonhole on an exported example that no documentation makes
// deliberate: bugs to fix or decisions to take. Each is logged and
// counted, and fails the test once the two agree, so that the entry goes.
var unresolved = map[string]string{}

// exampleCase is one case file of the examples, read and exported.
type exampleCase struct {
	rel    string // path relative to ../examples
	file   *casefile.File
	policy *rules.Policy
	script []byte
	diags  rules.Diagnostics
}

// readExampleCases reads every case file under ../examples, its policy and
// the policy's export.
func readExampleCases(t *testing.T) []exampleCase {
	t.Helper()
	var paths []string
	err := filepath.WalkDir(examplesDir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, casefile.Ext) {
			paths = append(paths, path)
		}
		return err
	})
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(paths), 6, "the examples have at least six case files")
	var out []exampleCase
	for _, path := range paths {
		f, err := casefile.ReadFile(path)
		require.NoError(t, err)
		ppath, err := f.PolicyPath()
		require.NoError(t, err)
		p, _ := parsePolicy(t, ppath)
		script, diags := Export(p)
		rel, err := filepath.Rel(examplesDir, path)
		require.NoError(t, err)
		out = append(out, exampleCase{rel: filepath.ToSlash(rel), file: f, policy: p, script: script, diags: diags})
	}
	return out
}

// checkRefusal requires that the error diagnostics of a refused export be
// exactly the ones listed for the case.
func checkRefusal(t *testing.T, c exampleCase) {
	t.Helper()
	want, listed := exampleRefusals[c.rel]
	require.True(t, listed, "Export refuses %s, which exampleRefusals does not list:\n%v", c.rel, c.diags)
	require.NotEmpty(t, want.reason)
	left := slices.Clone(want.errors)
	for _, d := range c.diags {
		if d.Severity != rules.Error {
			continue
		}
		i := slices.IndexFunc(left, func(e string) bool {
			code, fragment, _ := strings.Cut(e, ": ")
			return string(d.Code) == code && strings.Contains(d.Message, fragment)
		})
		require.GreaterOrEqual(t, i, 0, "%s: refusal not listed in exampleRefusals: %s: %s", c.rel, d.Code, d.Message)
		left = slices.Delete(left, i, i+1)
	}
	require.Empty(t, left, "%s: listed refusals that Export no longer reports", c.rel)
}

// pigeonholeDecision normalises what Pigeonhole decided about the absence
// reply in its -execute run: sent, and to whom, or suppressed, and why.
func pigeonholeDecision(o oracle.Outcome) []string {
	v := o.Vacation
	switch {
	case v == nil:
		return nil
	case !v.Decided:
		return []string{"reply decision: none reported"}
	case v.Sent:
		return []string{"reply decision: sent to " + strings.ToLower(v.To)}
	}
	return []string{"reply decision: suppressed (" + v.SuppressionCode() + ")"}
}

// engineDecision normalises the engine's decision the same way.
func engineDecision(res engine.Result) []string {
	switch {
	case res.Reply != nil:
		return []string{"reply decision: sent to " + strings.ToLower(res.Reply.To)}
	case res.Suppressed != nil:
		return []string{"reply decision: suppressed (" + res.Suppressed.Code + ")"}
	}
	return nil
}

// hasReply reports whether p can send an absence reply.
func hasReply(p *rules.Policy) bool {
	for _, a := range p.Actions() {
		if _, ok := a.(*rules.Reply); ok {
			return true
		}
	}
	return false
}

// exampleDelivery is one delivery of an exported example, evaluated by the
// engine, waiting for Pigeonhole.
type exampleDelivery struct {
	key           string // "case/message"
	raw           []byte
	env           casefile.Envelope
	from          string // the envelope sender, "" for the null sender
	isolated      engine.Result
	sharedTracker bool // the case's tracker suppressed a reply the isolated run sends
}

func TestOracleExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Pigeonhole: not in -short")
	}
	oracle.RequireAvailable(t)
	trust := loadTrust(t)
	var mu sync.Mutex
	var cases, refused, compared, deliberate, stateless, open int
	all := readExampleCases(t)
	// Every listed delivery must exist, so that no entry outlives its case.
	for _, table := range []map[string]string{exampleDeliberate, unresolved} {
		for key := range table {
			require.True(t, slices.ContainsFunc(all, func(c exampleCase) bool {
				return slices.ContainsFunc(c.file.Deliveries, func(d *casefile.Delivery) bool { return c.rel+"/"+d.Message == key })
			}), "%s is listed but is no delivery of the examples", key)
		}
	}
	for _, c := range all {
		cases++
		t.Run(c.rel, func(t *testing.T) {
			t.Parallel()
			if c.diags.HasErrors() {
				checkRefusal(t, c)
				t.Logf("refused by Export, as listed (%s): %v", exampleRefusals[c.rel].reason, c.diags)
				mu.Lock()
				refused++
				mu.Unlock()
				return
			}
			_, listed := exampleRefusals[c.rel]
			require.False(t, listed, "%s is listed in exampleRefusals but Export accepts it: remove the entry", c.rel)

			// The engine, in the case's order, with the case's tracker; and
			// each delivery again with a fresh tracker, as Pigeonhole has.
			opts := engine.DefaultOptions()
			opts.Trust = trust
			opts.Tracker = vacation.NewMemoryTracker(vacation.DefaultMaxPerMailbox)
			prog, cdiags := engine.Compile(context.Background(), c.policy, opts)
			require.False(t, cdiags.HasErrors(), "%v", cdiags)
			fresh := func() *engine.Program {
				o := opts
				o.Tracker = vacation.NewMemoryTracker(vacation.DefaultMaxPerMailbox)
				p, d := engine.Compile(context.Background(), c.policy, o)
				require.False(t, d.HasErrors(), "%v", d)
				return p
			}
			kinds := map[string]string{}
			for _, s := range c.policy.Statements {
				kinds[s.Label().Value] = "rule"
				if _, ok := s.(*rules.Vacation); ok {
					kinds[s.Label().Value] = "vacation"
				}
			}
			dir := filepath.Dir(c.file.Path)
			var runs []exampleDelivery
			for _, d := range c.file.Deliveries {
				env := c.file.Effective(d)
				raw, err := os.ReadFile(filepath.Join(dir, d.Message))
				require.NoError(t, err)
				msg, err := message.Parse(raw, message.DefaultOptions())
				require.NoError(t, err)
				from := env.From
				if from == casefile.NullSender {
					from = ""
				}
				del := engine.Delivery{Message: msg, EnvelopeFrom: from, EnvelopeTo: env.To, Time: env.Now}
				shared := prog.Evaluate(context.Background(), del)
				// This is the case's run: it must give the case's outcome.
				require.Empty(t, casefile.Diff(d.Expect, casefile.Expectations(shared, kinds)), "%s:%d: the engine does not give the case's expectations", c.rel, d.Line)
				isolated := fresh().Evaluate(context.Background(), del)
				r := exampleDelivery{key: c.rel + "/" + d.Message, raw: raw, env: env, from: from, isolated: isolated}
				if s, i := casefile.Expectations(shared, kinds), casefile.Expectations(isolated, kinds); !slices.Equal(s, i) {
					// Only the reply period may tell them apart.
					require.True(t, shared.Suppressed != nil && shared.Suppressed.Code == "already-replied" && isolated.Reply != nil,
						"%s: shared and fresh trackers differ otherwise than by an already-sent reply:\n%s", r.key, casefile.Diff(s, i))
					require.Equal(t, engineLines(c.policy, withoutReply(shared)), engineLines(c.policy, withoutReply(isolated)))
					r.sharedTracker = true
				}
				runs = append(runs, r)
			}

			execute := hasReply(c.policy)
			for _, r := range runs {
				t.Run(strings.TrimPrefix(r.key, c.rel+"/"), func(t *testing.T) {
					t.Parallel()
					if why, ok := exampleDeliberate[r.key]; ok {
						require.Empty(t, r.from, "%s is listed as a null-sender delivery", r.key)
						t.Logf("not run in Pigeonhole: %s", why)
						mu.Lock()
						deliberate++
						mu.Unlock()
						return
					}
					require.NotEmpty(t, r.from, "%s: a null envelope sender cannot be run in sieve-test: list it in exampleDeliberate", r.key)
					require.Empty(t, r.isolated.Refused, "%s: a target refused by the trust space: list the delivery in exampleDeliberate", r.key)
					o := runOracle(t, oracle.Request{Script: c.script, Message: r.raw, Now: r.env.Now, From: r.from, Rcpt: r.env.To,
						Execute: execute, Extensions: extensionsFor(c.script, "")})
					want, got := engineLines(c.policy, r.isolated), pigeonholeLines(o)
					if r.isolated.Suppressed != nil {
						// As in TestOracleGoldenCases: the planned reply is
						// only compared when the engine sends it; the
						// decision is compared below.
						want, got = withoutVacation(want), withoutVacation(got)
					}
					if execute {
						want, got = append(want, engineDecision(r.isolated)...), append(got, pigeonholeDecision(o)...)
					}
					if why, ok := unresolved[r.key]; ok {
						require.NotEqual(t, want, got, "%s: listed in unresolved (%s) but the engine now agrees with Pigeonhole: remove the entry", r.key, why)
						t.Logf("UNRESOLVED difference (%s): tamis %q, Pigeonhole %q", why, want, got)
						mu.Lock()
						open++
						mu.Unlock()
						return
					}
					require.Equal(t, want, got, "%s at %s (from %s to %s)\nscript:\n%s\nstderr:\n%s%s", r.key, r.env.Now.Format("2006-01-02T15:04:05Z07:00"), r.from, r.env.To, c.script, o.Stderr, o.ExecuteStderr)
					t.Logf("both: %s", strings.Join(got, " | "))
					mu.Lock()
					compared++
					if r.sharedTracker {
						stateless++
					}
					mu.Unlock()
				})
			}
		})
	}
	t.Cleanup(func() {
		t.Logf("examples: %d case files, %d refused by Export as listed; %d deliveries agree with Pigeonhole (%d of them with the reply the case's tracker suppresses as already sent, compared as a fresh Pigeonhole run decides), %d not run (listed), %d unresolved differences",
			cases, refused, compared, stateless, deliberate, open)
	})
}

// withoutReply returns r without its reply decision, for comparing the
// actions of two evaluations that differ only by the tracker.
func withoutReply(r engine.Result) engine.Result {
	r.Reply, r.Suppressed = nil, nil
	return r
}

// TestExamplesRoundTrip checks import(export(p)) against p for every
// example policy Export accepts, as TestRoundTripPolicies does, and the
// same behaviour on the case's own deliveries.
func TestExamplesRoundTrip(t *testing.T) {
	tested := 0
	for _, c := range readExampleCases(t) {
		if c.diags.HasErrors() {
			_, listed := exampleRefusals[c.rel]
			require.True(t, listed, "Export refuses %s, which exampleRefusals does not list:\n%v", c.rel, c.diags)
			continue
		}
		tested++
		t.Run(c.rel, func(t *testing.T) {
			p, script := c.policy, c.script
			back, idiags := Import("exported.sieve", script)
			require.False(t, idiags.HasErrors(), "%s\n%s", script, idiags.Render(map[string][]byte{"exported.sieve": script}))
			rewritten := slices.ContainsFunc(append(slices.Clone(c.diags), idiags...), func(d rules.Diagnostic) bool { return d.Code == CodeRewritten })
			if !rewritten && !hasDuring(p) {
				require.Equal(t, dumpNoComments(canonicalBounds(t, p)), dumpNoComments(canonicalBounds(t, back)))
			}
			again, adiags := Export(back)
			require.False(t, adiags.HasErrors(), "%v", adiags)
			if !hasDuring(p) {
				require.Equal(t, string(script), string(again), "export(import(export(p))) differs from export(p)")
			}
			back2, _ := Import("again.sieve", again)
			again2, _ := Export(back2)
			require.Equal(t, string(again), string(again2), "export∘import is not stable after one round")
			sameBehaviour(t, p, back)

			// The case's own messages at the case's instants.
			pp, bp := compile(t, p), compile(t, back)
			dir := filepath.Dir(c.file.Path)
			for _, d := range c.file.Deliveries {
				env := c.file.Effective(d)
				raw, err := os.ReadFile(filepath.Join(dir, d.Message))
				require.NoError(t, err)
				msg, err := message.Parse(raw, message.DefaultOptions())
				require.NoError(t, err)
				from := env.From
				if from == casefile.NullSender {
					from = ""
				}
				del := engine.Delivery{Message: msg, EnvelopeFrom: from, EnvelopeTo: env.To, Time: env.Now}
				require.Equal(t, outcome(pp.Evaluate(context.Background(), del)), outcome(bp.Evaluate(context.Background(), del)),
					"%s: %s at %s", c.rel, d.Message, fmt.Sprint(env.Now))
			}
		})
	}
	require.GreaterOrEqual(t, tested, 2, "at least the two example policies that export today")
}
