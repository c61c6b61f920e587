package engine_test

// Differential tests of the engine against Dovecot Pigeonhole, the reference
// Sieve implementation, run through internal/oracle.
//
// Each directory of testdata/oracle is a case:
//
//	policy.rules   the policy in the tamis language
//	script.sieve   the same policy written by hand as Roundcube would write it
//	*.eml          the messages to deliver
//	case.txt       the envelope, the clock instants and the expected differences
//
// For every message and every instant the test runs both implementations and
// compares their outcomes, normalised to a few comparable lines (see
// oracleLines and engineLines). Where tamis deliberately differs from
// Pigeonhole (the trust space, the Roundcube offset trap, Unicode case
// folding, read receipts), case.txt says so with a "differs" entry that gives
// both expected outcomes, and the test asserts exactly that difference.
//
// case.txt holds "key: value" lines; "#" starts a comment line:
//
//	from: ADDR                    envelope sender
//	to: ADDR                      envelope recipient
//	now: 2025-01-07T10:00:00Z     an instant (repeatable; at least one)
//	execute: yes                  ask the oracle for its absence-reply decision
//	extensions: +vacation-seconds the oracle's -x option
//	sender NAME.eml: ADDR         envelope sender of one message
//	list-at-evaluation: FILE      replace the trust list by FILE (from
//	                              ../shared/data/listeblanche) after compiling
//	differs NAME.eml INSTANT: WHY a deliberate difference for one message at one
//	                              instant ("*": all); followed by the lines
//	oracle: L1 | L2 …             Pigeonhole's expected outcome, and
//	tamis: L1 | L2 …              the engine's expected outcome.
//
// Nothing is cached between runs: every run parses, compiles and evaluates
// afresh and runs the oracle. TAMIS_ORACLE_CASES names another directory of
// cases to run instead of testdata/oracle. The test is skipped when the
// oracle cannot run here, unless CI is set (see oracle.RequireAvailable).

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/internal/oracle"
	"github.com/tamis-mss/tamis/mssante"
	"github.com/tamis-mss/tamis/parser"
	"github.com/tamis-mss/tamis/rules"
)

const (
	oracleCases = "testdata/oracle"
	// The published trust list the policies compile against, with the
	// SHA-256 of the file as distributed.
	oracleListDir    = "../../shared/data/listeblanche"
	oracleListFile   = "listeblanchemssante-2025-03-13.xml"
	oracleListSHA256 = "ea660e72943a22a92aa569878e9bcd5311bed0ae5f40b4c82a992b1990a0ec59"
	// oracleParallel bounds the oracle processes running at once.
	oracleParallel = 4
)

// knownDifferences lists disagreements between the engine and Pigeonhole
// that are NOT documented as deliberate, keyed "case/message@instant": bugs
// to fix, or decisions to take (then record them in the case's case.txt as a
// "differs" entry). Such a run is skipped with the difference in the log, and
// fails as soon as the two agree again, so that the entry goes with the fix.
var knownDifferences = map[string]string{}

// oracleSlots bounds the number of oracle runs in flight.
var oracleSlots = make(chan struct{}, oracleParallel)

// oracleCase is one directory of testdata/oracle, read from its case.txt.
type oracleCase struct {
	name       string
	dir        string
	from, to   string
	instants   []time.Time
	execute    bool
	extensions string
	senders    map[string]string // per-message envelope senders
	listAtEval string
	differs    []difference
	messages   []string // the .eml file names
}

// difference is a documented, deliberate difference from Pigeonhole.
type difference struct {
	message, instant string // "*" for any
	reason           string
	oracle, tamis    []string
}

// find returns the difference that applies to message at instant, or nil.
func (c *oracleCase) find(msg string, at time.Time) *difference {
	for i, d := range c.differs {
		if (d.message == "*" || d.message == msg) && (d.instant == "*" || d.instant == at.UTC().Format(time.RFC3339)) {
			return &c.differs[i]
		}
	}
	return nil
}

// loadOracleCase reads dir/case.txt and lists the messages of dir.
func loadOracleCase(t *testing.T, dir string) *oracleCase {
	t.Helper()
	path := filepath.Join(dir, "case.txt")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c := &oracleCase{name: filepath.Base(dir), dir: dir, senders: map[string]string{}}
	ms, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		c.messages = append(c.messages, filepath.Base(m))
	}
	if len(c.messages) == 0 {
		t.Fatalf("%s: no .eml message", dir)
	}
	sc := bufio.NewScanner(bytes.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		bad := func(format string, args ...any) {
			t.Fatalf("%s:%d: %s", path, n, fmt.Sprintf(format, args...))
		}
		key, value, ok := strings.Cut(line, ":")
		// An instant holds colons: cut at the first ": " for "differs".
		if k, v, ok2 := strings.Cut(line, ": "); ok2 {
			key, value, ok = k, v, true
		}
		if !ok {
			bad("want key: value, got %q", line)
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		switch fields := strings.Fields(key); {
		case key == "from":
			c.from = value
		case key == "to":
			c.to = value
		case key == "now":
			at, err := time.Parse(time.RFC3339, value)
			if err != nil {
				bad("%v", err)
			}
			c.instants = append(c.instants, at)
		case key == "execute":
			if value != "yes" && value != "no" {
				bad("execute: want yes or no, got %q", value)
			}
			c.execute = value == "yes"
		case key == "extensions":
			c.extensions = value
		case key == "list-at-evaluation":
			c.listAtEval = value
		case len(fields) == 2 && fields[0] == "sender":
			if !slices.Contains(c.messages, fields[1]) {
				bad("no message %s", fields[1])
			}
			c.senders[fields[1]] = value
		case len(fields) == 3 && fields[0] == "differs":
			if fields[1] != "*" && !slices.Contains(c.messages, fields[1]) {
				bad("no message %s", fields[1])
			}
			c.differs = append(c.differs, difference{message: fields[1], instant: fields[2], reason: value})
		case key == "oracle" || key == "tamis":
			if len(c.differs) == 0 {
				bad("%s: outside a differs entry", key)
			}
			d := &c.differs[len(c.differs)-1]
			lines := splitLines(value)
			if key == "oracle" {
				d.oracle = lines
			} else {
				d.tamis = lines
			}
		default:
			bad("unknown key %q", key)
		}
	}
	if c.from == "" || c.to == "" || len(c.instants) == 0 {
		t.Fatalf("%s: from, to and at least one now are required", path)
	}
	for _, d := range c.differs {
		if d.oracle == nil || d.tamis == nil || d.reason == "" {
			t.Fatalf("%s: differs %s %s needs a reason, an oracle and a tamis line", path, d.message, d.instant)
		}
		if d.instant != "*" && !slices.ContainsFunc(c.instants, func(at time.Time) bool { return at.UTC().Format(time.RFC3339) == d.instant }) {
			t.Fatalf("%s: differs names the instant %s, which is not one of the case's", path, d.instant)
		}
	}
	return c
}

func splitLines(s string) []string {
	var out []string
	for l := range strings.SplitSeq(s, "|") {
		out = append(out, strings.TrimSpace(l))
	}
	return out
}

// sender returns the envelope sender of msg.
func (c *oracleCase) sender(msg string) string {
	if s, ok := c.senders[msg]; ok {
		return s
	}
	return c.from
}

// oracleLists loads the trust lists the cases use.
type oracleLists struct {
	once    sync.Once
	err     error
	full    *mssante.List
	partial map[string]*mssante.List
	mu      sync.Mutex
}

func (l *oracleLists) published(t *testing.T) *mssante.List {
	t.Helper()
	l.once.Do(func() {
		l.full, l.err = mssante.LoadList(filepath.Join(oracleListDir, oracleListFile), oracleListSHA256)
	})
	if l.err != nil {
		t.Fatal(l.err)
	}
	return l.full
}

func (l *oracleLists) named(t *testing.T, name string) *mssante.List {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if list, ok := l.partial[name]; ok {
		return list
	}
	list, err := mssante.LoadList(filepath.Join(oracleListDir, name), "")
	if err != nil {
		t.Fatal(err)
	}
	if l.partial == nil {
		l.partial = map[string]*mssante.List{}
	}
	l.partial[name] = list
	return list
}

func TestOracle(t *testing.T) {
	oracle.RequireAvailable(t)
	corpus := oracleCases
	if dir := os.Getenv("TAMIS_ORACLE_CASES"); dir != "" {
		corpus = dir // try cases kept elsewhere, e.g. while writing new ones
	}
	dirs, err := filepath.Glob(filepath.Join(corpus, "*", "case.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if corpus == oracleCases && len(dirs) < 24 {
		t.Fatalf("the oracle corpus has %d cases, want at least 24", len(dirs))
	}
	lists := &oracleLists{}
	for _, p := range dirs {
		c := loadOracleCase(t, filepath.Dir(p))
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			policySrc, err := os.ReadFile(filepath.Join(c.dir, "policy.rules"))
			if err != nil {
				t.Fatal(err)
			}
			script, err := os.ReadFile(filepath.Join(c.dir, "script.sieve"))
			if err != nil {
				t.Fatal(err)
			}
			for _, msg := range c.messages {
				raw, err := os.ReadFile(filepath.Join(c.dir, msg))
				if err != nil {
					t.Fatal(err)
				}
				for _, at := range c.instants {
					name := strings.TrimSuffix(msg, ".eml") + "@" + at.UTC().Format(time.RFC3339)
					t.Run(name, func(t *testing.T) {
						t.Parallel()
						r := oracleRun{c: c, msg: msg, at: at, policy: policySrc, script: script, raw: raw, lists: lists}
						r.check(t)
					})
				}
			}
		})
	}
}

// oracleRun is one message delivered at one instant.
type oracleRun struct {
	c              *oracleCase
	msg            string
	at             time.Time
	policy, script []byte
	raw            []byte
	lists          *oracleLists
}

func (r oracleRun) key() string {
	return r.c.name + "/" + r.msg + "@" + r.at.UTC().Format(time.RFC3339)
}

func (r oracleRun) check(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	from := r.c.sender(r.msg)

	// tamis
	tamis, detail := r.evaluate(t, ctx, from)

	// Pigeonhole
	oracleSlots <- struct{}{}
	out, err := oracle.Run(ctx, oracle.Request{
		Script: r.script, Message: r.raw, Now: r.at,
		From: from, Rcpt: r.c.to, Execute: r.c.execute, Extensions: r.c.extensions,
	})
	<-oracleSlots
	if err != nil {
		t.Fatalf("%s: oracle: %v\nstdout:\n%s\nstderr:\n%s", r.key(), err, out.Stdout, out.Stderr)
	}
	if out.ExitCode == oracle.ExitCompileError {
		t.Fatalf("%s: script.sieve does not compile in Pigeonhole:\n%s", r.key(), out.Stderr)
	}
	pigeonhole := oracleLines(out, r.c.execute)

	report := func() string {
		return fmt.Sprintf("%s (envelope from %s to %s, execute %v)\n--- Pigeonhole vs +++ tamis:\n%s\nPigeonhole said:\n%s%s\ntamis said:\n%s",
			r.key(), from, r.c.to, r.c.execute, lineDiff(pigeonhole, tamis), indent(out.Summary()), indent(out.Stderr+out.ExecuteStderr), detail)
	}
	if d := r.c.find(r.msg, r.at); d != nil {
		// A deliberate difference: both sides must be exactly as documented.
		if !slices.Equal(pigeonhole, d.oracle) {
			t.Errorf("%s: Pigeonhole no longer behaves as case.txt documents (%s):\n%s", r.key(), d.reason, lineDiff(d.oracle, pigeonhole))
		}
		if !slices.Equal(tamis, d.tamis) {
			t.Errorf("%s: tamis does not show the documented difference (%s):\n%s", r.key(), d.reason, lineDiff(d.tamis, tamis))
		}
		if t.Failed() {
			t.Log(report())
			return
		}
		t.Logf("documented difference (%s): Pigeonhole %s; tamis %s", d.reason, strings.Join(pigeonhole, " | "), strings.Join(tamis, " | "))
		return
	}
	if why, ok := knownDifferences[r.key()]; ok {
		if slices.Equal(pigeonhole, tamis) {
			t.Fatalf("%s: listed in knownDifferences (%s) but the engine now agrees with Pigeonhole: remove the entry", r.key(), why)
		}
		t.Skipf("known difference, not documented as deliberate (%s):\n%s", why, report())
	}
	if !slices.Equal(pigeonhole, tamis) {
		t.Errorf("tamis disagrees with Pigeonhole: %s", report())
		return
	}
	t.Logf("both: %s", strings.Join(tamis, " | "))
}

// evaluate parses, compiles and evaluates the policy for the run, and
// returns the normalised outcome and a description for failure reports.
func (r oracleRun) evaluate(t *testing.T, ctx context.Context, from string) ([]string, string) {
	t.Helper()
	pol, diags := parser.Parse("policy.rules", r.policy, parser.DefaultOptions())
	if diags.HasErrors() {
		t.Fatalf("%s: policy.rules does not parse:\n%s", r.key(), diags.Render(map[string][]byte{"policy.rules": r.policy}))
	}
	trust := mssante.NewTrustSpace(r.lists.published(t))
	prog, diags := engine.Compile(pol, engine.Options{Trust: trust})
	if prog == nil {
		var codes []string
		for _, d := range diags {
			if d.Severity == rules.Error {
				codes = append(codes, string(d.Code))
			}
		}
		slices.Sort(codes)
		return []string{"compile error (" + strings.Join(slices.Compact(codes), ", ") + ")"},
			diags.Render(map[string][]byte{"policy.rules": r.policy})
	}
	if r.c.listAtEval != "" {
		if err := trust.Replace(r.lists.named(t, r.c.listAtEval)); err != nil {
			t.Fatal(err)
		}
	}
	m, err := message.Parse(r.raw, message.DefaultOptions())
	if err != nil {
		t.Fatalf("%s: %v", r.key(), err)
	}
	res := prog.Evaluate(ctx, engine.Delivery{Message: m, EnvelopeFrom: from, EnvelopeTo: r.c.to, Time: r.at})
	return engineLines(res, r.c.execute), indent(res.Summary())
}

// The normalised outcome is a list of lines, in this order:
//
//	keep | fileinto "F" | discard | reject "R" | redirect "T" [:copy]
//	                                  the actions, in order, vacation excepted;
//	                                  a store into INBOX (keep, or file into
//	                                  "INBOX") is "keep", as Pigeonhole has it
//	vacation planned                  without execute: a reply applies
//	vacation sent to ADDR             with execute: the reply is sent
//	vacation suppressed (CODE)        with execute: the reply is not sent
//	vacation every Ns subject "S"     the reply's period and subject, and
//	vacation text "T"                 its text, when one is planned or sent
//	vacation from A in reply to <ID>  with execute: the sent reply's From
//	                                  and In-Reply-To
//	refused redirect "T" [:copy] (CODE)   tamis only: refused at evaluation
//	runtime error                     the evaluation failed (message kept)
//	implicit keep
//
// A store (keep, fileinto, implicit keep) carries " flags F1 F2" when IMAP
// flags are set on it.
//	compile error (CODES)             tamis only: no program
//
// Redirect targets have their domain lower-cased: Pigeonhole prints the form
// it saw first, tamis the normalised one; both compare domains without case.

// oracleLines normalises Pigeonhole's outcome.
func oracleLines(o oracle.Outcome, execute bool) []string {
	var lines []string
	for _, a := range o.Actions {
		switch a.Kind {
		case oracle.KindKeep:
			lines = append(lines, "keep"+flagSuffix(a.Flags))
		case oracle.KindFileInto:
			lines = append(lines, fmt.Sprintf("fileinto %q", a.Folder)+flagSuffix(a.Flags))
		case oracle.KindDiscard:
			lines = append(lines, "discard")
		case oracle.KindReject:
			lines = append(lines, fmt.Sprintf("reject %q", a.Reason))
		case oracle.KindRedirect:
			lines = append(lines, redirectLine(a.Target, a.Copy))
		case oracle.KindVacation:
			continue
		default:
			lines = append(lines, "unexpected "+a.String())
		}
	}
	if v := o.Vacation; v != nil {
		switch {
		case !execute:
			lines = append(lines, "vacation planned",
				fmt.Sprintf("vacation every %ds subject %q", v.Seconds, v.Subject), replyTextLine(v.Body))
		case v.Sent && v.Reply != nil:
			// The reply as sent: its subject is the default one when the
			// script gives none.
			lines = append(lines, "vacation sent to "+v.To,
				fmt.Sprintf("vacation every %ds subject %q", v.Seconds, v.Reply.Subject), replyTextLine(v.Body),
				replyHeaderLine(v.Reply.From, v.Reply.InReplyTo))
		case v.Sent:
			lines = append(lines, "vacation sent to "+v.To+" (reply not printed)")
		default:
			lines = append(lines, "vacation suppressed ("+v.SuppressionCode()+")")
		}
	}
	if o.ExitCode == oracle.ExitRuntimeError {
		lines = append(lines, "runtime error")
	}
	if o.ImplicitKeep {
		lines = append(lines, "implicit keep"+flagSuffix(o.KeepFlags))
	}
	return lines
}

// engineLines normalises the engine's result.
func engineLines(res engine.Result, execute bool) []string {
	// The engine's flag action applies to the message wherever it is stored.
	var flags []string
	for _, a := range res.Actions {
		if a.Kind == engine.ActionFlag {
			flags = append(flags, a.Flags...)
		}
	}
	var lines []string
	for _, a := range res.Actions {
		switch a.Kind {
		case engine.ActionKeep:
			lines = append(lines, "keep"+flagSuffix(flags))
		case engine.ActionFlag:
			continue
		case engine.ActionFileInto:
			if a.Folder == "INBOX" {
				// Stored where keep stores: Pigeonhole reports both alike.
				lines = append(lines, "keep"+flagSuffix(flags))
				break
			}
			lines = append(lines, fmt.Sprintf("fileinto %q", a.Folder)+flagSuffix(flags))
		case engine.ActionDiscard:
			lines = append(lines, "discard")
		case engine.ActionReject:
			lines = append(lines, fmt.Sprintf("reject %q", a.Reason))
		case engine.ActionReroute, engine.ActionCopy:
			lines = append(lines, redirectLine(a.Target.String(), a.Kind == engine.ActionCopy))
		case engine.ActionReply:
			continue
		default:
			lines = append(lines, "unexpected "+a.String())
		}
	}
	switch {
	case !execute && (res.Reply != nil || res.Suppressed != nil):
		lines = append(lines, "vacation planned")
	case execute && res.Reply != nil:
		lines = append(lines, "vacation sent to "+res.Reply.To)
	case execute && res.Suppressed != nil:
		lines = append(lines, "vacation suppressed ("+res.Suppressed.Code+")")
	}
	if rp := res.Reply; rp != nil {
		text, inReplyTo := "(unreadable reply)", ""
		if m, err := message.Parse(rp.Bytes, message.DefaultOptions()); err == nil {
			text = strings.Join(m.BodyText(), "\n")
			inReplyTo = strings.Join(m.Header("In-Reply-To"), " ")
		}
		lines = append(lines, fmt.Sprintf("vacation every %ds subject %q", int64(rp.Period/time.Second), rp.Subject), replyTextLine(text))
		if execute {
			lines = append(lines, replyHeaderLine(rp.From, inReplyTo))
		}
	}
	for _, f := range res.Refused {
		lines = append(lines, fmt.Sprintf("refused %s (%s)", redirectLine(f.Target, f.Kind == engine.ActionCopy), f.Code))
	}
	if len(res.Errors) > 0 {
		lines = append(lines, "runtime error")
	}
	if res.ImplicitKeep {
		lines = append(lines, "implicit keep"+flagSuffix(flags))
	}
	return lines
}

// flagSuffix shows the IMAP flags set on a stored message, sorted, system
// flags ("\Flagged") in lower case since they compare without case.
func flagSuffix(flags []string) string {
	if len(flags) == 0 {
		return ""
	}
	out := make([]string, len(flags))
	for i, f := range flags {
		if strings.HasPrefix(f, `\`) {
			f = strings.ToLower(f)
		}
		out[i] = f
	}
	slices.Sort(out)
	return " flags " + strings.Join(slices.Compact(out), " ")
}

// replyTextLine shows the text of an absence reply with "\n" line ends and
// without the final line end, which Sieve's text: blocks always have.
func replyTextLine(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	return fmt.Sprintf("vacation text %q", strings.TrimRight(text, "\n"))
}

// replyHeaderLine shows the From and In-Reply-To of a sent reply.
func replyHeaderLine(from, inReplyTo string) string {
	return fmt.Sprintf("vacation from %s in reply to %s", from, strings.TrimSpace(inReplyTo))
}

func redirectLine(target string, copy bool) string {
	if at := strings.LastIndexByte(target, '@'); at >= 0 {
		target = target[:at] + strings.ToLower(target[at:])
	}
	if copy {
		return fmt.Sprintf("redirect %q :copy", target)
	}
	return fmt.Sprintf("redirect %q", target)
}

// lineDiff shows two line lists as a diff: "-" only in a, "+" only in b.
func lineDiff(a, b []string) string {
	// Longest common subsequence, small inputs.
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var sb strings.Builder
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			fmt.Fprintf(&sb, "    %s\n", a[i])
			i, j = i+1, j+1
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			fmt.Fprintf(&sb, "  - %s\n", a[i])
			i++
		default:
			fmt.Fprintf(&sb, "  + %s\n", b[j])
			j++
		}
	}
	return sb.String()
}

func indent(s string) string {
	if s == "" {
		return "    (nothing)\n"
	}
	var sb strings.Builder
	for l := range strings.Lines(s) {
		sb.WriteString("    ")
		sb.WriteString(strings.TrimRight(l, "\r\n"))
		sb.WriteByte('\n')
	}
	return sb.String()
}

// TestOracleLineDiff checks the failure display itself.
func TestOracleLineDiff(t *testing.T) {
	got := lineDiff([]string{"redirect \"a@b\"", "implicit keep"}, []string{"redirect \"a@b\" :copy", "implicit keep"})
	want := "  - redirect \"a@b\"\n  + redirect \"a@b\" :copy\n    implicit keep\n"
	if got != want {
		t.Fatalf("lineDiff:\n%s\nwant:\n%s", got, want)
	}
}

// TestOracleNormalise checks both normalisations on outcomes that must
// compare equal: a copy that keeps, a vacation sent.
func TestOracleNormalise(t *testing.T) {
	o := oracle.Outcome{
		Actions: []oracle.Action{
			{Kind: oracle.KindRedirect, Target: "secretariat@ESANTEPDL.mssante.fr", Copy: true},
			{Kind: oracle.KindVacation},
		},
		ImplicitKeep: true,
		Vacation: &oracle.VacationOutcome{Seconds: 604800, Body: "Je suis absent.\r\nRetour le 15.\n", Decided: true, Sent: true, To: "x@medecin.mssante.fr",
			Reply: &oracle.SentReply{From: "me@medecin.mssante.fr", Subject: "Auto: Bonjour", InReplyTo: "<a@b>"}},
	}
	want := []string{`redirect "secretariat@esantepdl.mssante.fr" :copy`, "vacation sent to x@medecin.mssante.fr", `vacation every 604800s subject "Auto: Bonjour"`,
		`vacation text "Je suis absent.\nRetour le 15."`, "vacation from me@medecin.mssante.fr in reply to <a@b>", "implicit keep"}
	if got := oracleLines(o, true); !slices.Equal(got, want) {
		t.Fatalf("oracleLines:\n%s", lineDiff(want, got))
	}
	o.Vacation = &oracle.VacationOutcome{Seconds: 604800, Subject: "Absent", Decided: true, Reason: "discarding vacation response to mailinglist recipient <x@medecin.mssante.fr>"}
	want = []string{`redirect "secretariat@esantepdl.mssante.fr" :copy`, "vacation suppressed (mailing-list)", "implicit keep"}
	if got := oracleLines(o, true); !slices.Equal(got, want) {
		t.Fatalf("oracleLines, suppressed:\n%s", lineDiff(want, got))
	}
	res := engine.Result{
		ImplicitKeep: true,
		Suppressed:   &engine.Suppressed{Code: "mailing-list"},
		Errors:       nil,
	}
	if got := engineLines(res, true); !slices.Equal(got, []string{"vacation suppressed (mailing-list)", "implicit keep"}) {
		t.Fatalf("engineLines: %q", got)
	}
	if got := engineLines(res, false); !slices.Equal(got, []string{"vacation planned", "implicit keep"}) {
		t.Fatalf("engineLines without execute: %q", got)
	}
}
