package casefile

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/engine/vacation"
	"github.com/tamis-mss/tamis/mssante"
	"github.com/tamis-mss/tamis/parser"
	"github.com/tamis-mss/tamis/rules"
)

// Options configures Run.
type Options struct {
	// Trust is the trust space the policy of a case without a trust line
	// is compiled against; nil means the built-in unverified fallback. Run
	// never changes it: each case gets its own trust space, holding the
	// same list.
	Trust *mssante.TrustSpace
	// Stateless also evaluates each delivery with a reply tracker that
	// remembers nothing (DeliveryResult.Stateless), as Pigeonhole's
	// sieve-test does, for comparing the two.
	Stateless bool
	// Before and After are operator policies run before and after the
	// case's policy (engine.CompileLayers, as Pigeonhole's sieve_before and
	// sieve_after), already checked by the caller.
	Before, After []*rules.Policy
}

// NotEvaluated is the outcome of a delivery when the policy has errors and
// the case expects them (a diagnostics block): no program exists to
// evaluate the message with.
const NotEvaluated = "not evaluated: the policy has errors"

// Result is the outcome of one case file.
type Result struct {
	File *File
	// PolicyPath is the policy file used, as opened.
	PolicyPath string
	// Source is the policy's text, for rendering Diagnostics.
	Source []byte
	// Policy is the parsed policy; nil when it could not be read.
	Policy *rules.Policy
	// Diagnostics are the policy's diagnostics (parse and compile), without
	// the "unverified-trust" warning. An error among them fails the case,
	// unless the case expects it in a diagnostics block.
	Diagnostics rules.Diagnostics
	// DiagnosticLines is Diagnostics as the lines of a diagnostics block,
	// and DiagnosticsDiff the diff from the case's block to them (empty
	// when they are equal or the case has no block).
	DiagnosticLines []string
	DiagnosticsDiff string
	// Compiled reports whether the policy compiled: the deliveries were
	// evaluated.
	Compiled bool
	// Kinds maps each statement name of the policy to "rule" or
	// "vacation" (StatementKinds).
	Kinds map[string]string
	// Deliveries holds one outcome per delivery, in order; it is empty
	// when the policy could not be used.
	Deliveries []DeliveryResult
	// Err is a problem with the case itself: the policy, a trust list or a
	// message cannot be read, or the policy has errors and the case has no
	// diagnostics block. The case fails.
	Err error
}

// DeliveryResult is the outcome of one delivery.
type DeliveryResult struct {
	Delivery *Delivery
	// Envelope is the envelope the message was delivered with.
	Envelope Envelope
	// Eval is what the engine decided, evaluating as a host does (without
	// trace, with the index of "from is" rules).
	Eval engine.Result
	// Traced is the same delivery evaluated with Options.Trace and
	// Options.Explain (Result.Trace and Result.Explanations); it must
	// decide the same as Eval.
	Traced engine.Result
	// Stateless is the delivery evaluated with a tracker that remembers no
	// reply, when Options.Stateless is set; nil otherwise.
	Stateless *engine.Result
	// Got is Eval rendered as expectation lines, and Trace is Traced's
	// trace, one line per statement or condition.
	Got, Trace []string
	// Diff is the line diff from Delivery.Expect to Got, TraceDiff from
	// Delivery.Trace to Trace (when the delivery has a trace block); empty
	// when they are equal.
	Diff, TraceDiff string
	// PathsDiff is the diff between the traced and the untraced
	// evaluations, which must agree; empty when they do.
	PathsDiff string
	// Err is why the delivery could not be evaluated (unreadable message,
	// missing envelope, trust list refused); the case fails.
	Err error
}

// Passed reports whether the delivery was evaluated and met its
// expectations (a delivery without an expect block never passes).
func (d *DeliveryResult) Passed() bool {
	return d.Err == nil && d.Delivery.Expect != nil && d.Diff == "" && d.TraceDiff == "" && d.PathsDiff == ""
}

// Passed reports whether the policy's diagnostics and every delivery of
// the case met their expectations.
func (r *Result) Passed() bool {
	if r.Err != nil || len(r.Deliveries) == 0 || r.DiagnosticsDiff != "" {
		return false
	}
	for i := range r.Deliveries {
		if !r.Deliveries[i].Passed() {
			return false
		}
	}
	return true
}

// Update returns what Rewrite should write to record the outcomes computed
// (the Pigeonhole lines are left to the caller that ran Pigeonhole); ok is
// false when a delivery could not be evaluated.
func (r *Result) Update() (u Update, ok bool) {
	if r.Err != nil {
		return Update{}, false
	}
	u.Diagnostics = r.DiagnosticLines
	for _, d := range r.Deliveries {
		if d.Err != nil {
			return Update{}, false
		}
		u.Deliveries = append(u.Deliveries, Recorded{Expect: d.Got, Trace: d.Trace})
	}
	return u, true
}

// PolicyPath returns the policy file of f: the policy line, relative to the
// case file's directory, or else the only .rules file in that directory.
func (f *File) PolicyPath() (string, error) {
	if f.Policy != "" {
		return f.Resolve(f.Policy), nil
	}
	matches, err := filepath.Glob(filepath.Join(filepath.Dir(f.Path), "*.rules"))
	if err != nil {
		return "", err
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return "", fmt.Errorf("%s: no policy line and no .rules file next to the case; add \"policy FILE\"", f.Path)
	}
	return "", fmt.Errorf("%s: no policy line and %d .rules files next to the case; add \"policy FILE\" to choose", f.Path, len(matches))
}

// Resolve returns the path of name, a file the case names relative to its
// own directory (or an absolute path).
func (f *File) Resolve(name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(filepath.Dir(f.Path), name)
}

// Run evaluates every delivery of f, in order, with one compiled program
// and one reply tracker, and compares each outcome with its expectations.
// Each delivery is evaluated twice, as a host evaluates (Eval) and with a
// trace (Traced), and the two must agree.
func Run(ctx context.Context, f *File, opts Options) *Result {
	res := &Result{File: f}
	path, err := f.PolicyPath()
	if err != nil {
		res.Err = err
		return res
	}
	res.PolicyPath = path
	policy, src, diags, err := parser.ParseFile(path, parser.DefaultOptions())
	if err != nil {
		res.Err = fmt.Errorf("%s: read policy: %w", f.Path, err)
		return res
	}
	res.Source, res.Policy = src, policy
	ts, err := f.trustSpace(opts.Trust)
	if err != nil {
		res.Err = err
		return res
	}
	progs, cdiags := compile(policy, ts, opts)
	for _, d := range append(diags, cdiags...) {
		if d.Code != rules.CodeUnverifiedTrust {
			res.Diagnostics = append(res.Diagnostics, d)
		}
	}
	res.Diagnostics.Sort()
	base := filepath.Base(path)
	relative := strings.NewReplacer(path+":", base+":")
	for _, d := range res.Diagnostics {
		res.DiagnosticLines = append(res.DiagnosticLines, relative.Replace(fmt.Sprintf("%s: %s: %s [%s]", d.Range, d.Severity, oneLine(d.Message), d.Code)))
	}
	if res.DiagnosticLines == nil {
		res.DiagnosticLines = []string{}
	}
	if f.Diagnostics != nil {
		res.DiagnosticsDiff = Diff(f.Diagnostics, res.DiagnosticLines)
	}
	if res.Diagnostics.HasErrors() && f.Diagnostics == nil {
		res.Err = fmt.Errorf("%s: the policy %s has errors", f.Path, path)
		return res
	}
	res.Compiled = !res.Diagnostics.HasErrors()
	res.Kinds = StatementKinds(policy)
	for _, l := range append(slices.Clone(opts.Before), opts.After...) {
		for name, kind := range StatementKinds(l) {
			if _, ok := res.Kinds[name]; !ok {
				res.Kinds[name] = kind
			}
		}
	}
	trusted := &trustSwitch{ts: ts, base: ts.List()}
	for _, d := range f.Deliveries {
		dr := DeliveryResult{Delivery: d, Envelope: f.Effective(d)}
		if res.Compiled {
			dr.Err = deliver(ctx, progs, f, trusted, &dr)
		} else {
			dr.Got, dr.Trace = []string{NotEvaluated}, []string{}
		}
		if dr.Err != nil {
			dr.Err = fmt.Errorf("%s:%d: %w", f.Path, d.Line, dr.Err)
		} else {
			if res.Compiled {
				dr.Got = Expectations(dr.Eval, res.Kinds)
				dr.Trace = traceLines(dr.Traced)
				dr.PathsDiff = Diff(outcomeLines(dr.Traced), outcomeLines(dr.Eval))
			}
			// Errors and traces name the policy by the path it was opened
			// with, which depends on the directory tests run from; goldens
			// use its base name.
			for _, lines := range [][]string{dr.Got, dr.Trace} {
				for i, l := range lines {
					lines[i] = relative.Replace(l)
				}
			}
			if d.Expect != nil {
				dr.Diff = Diff(d.Expect, dr.Got)
			}
			if d.Trace != nil {
				dr.TraceDiff = Diff(d.Trace, dr.Trace)
			}
		}
		res.Deliveries = append(res.Deliveries, dr)
	}
	return res
}

// programs are the compiled forms of a case's policy.
type programs struct {
	eval, traced, stateless *engine.Program
}

// compile compiles the policy as a host does, with a trace, and (when
// stateless) with a tracker that remembers nothing; between the operator
// layers of ro when it has some.
func compile(p *rules.Policy, ts *mssante.TrustSpace, ro Options) (programs, rules.Diagnostics) {
	opts := engine.DefaultOptions()
	opts.Trust = ts
	opts.Tracker = vacation.NewMemoryTracker(vacation.DefaultMaxPerMailbox)
	one := engine.Compile
	if len(ro.Before)+len(ro.After) > 0 {
		one = func(ctx context.Context, p *rules.Policy, opts engine.Options) (*engine.Program, rules.Diagnostics) {
			prog, diags := engine.CompileLayers(ctx, engine.Layers{Before: ro.Before, User: p, After: ro.After}, opts)
			var own rules.Diagnostics
			for _, d := range diags {
				// The layers' own diagnostics are the caller's, which
				// checked them; those of the sequence concern this case.
				if d.Range.File == "" || d.Range.File == p.File || d.Code == engine.CodeLayerMailbox {
					own = append(own, d)
				}
			}
			return prog, own
		}
	}
	var progs programs
	var diags rules.Diagnostics
	progs.eval, diags = one(context.Background(), p, opts)
	opts.Trace, opts.Explain = true, true
	opts.Tracker = vacation.NewMemoryTracker(vacation.DefaultMaxPerMailbox)
	progs.traced, _ = one(context.Background(), p, opts)
	if ro.Stateless {
		opts.Trace, opts.Explain = false, false
		opts.Tracker = forgetful{}
		progs.stateless, _ = one(context.Background(), p, opts)
	}
	return progs, diags
}

// forgetful is a reply tracker that remembers no reply: every claim is
// granted, as in Pigeonhole's sieve-test.
type forgetful struct{}

func (forgetful) Claim(context.Context, vacation.Key, time.Time, time.Duration) (bool, error) {
	return true, nil
}

// deliver reads one message and evaluates it with each program.
func deliver(ctx context.Context, progs programs, f *File, trusted *trustSwitch, dr *DeliveryResult) error {
	env := dr.Envelope
	if env.Now.IsZero() {
		return errors.New("no delivery time: add a \"now\" line (RFC 3339) to the case or the delivery")
	}
	if env.From == "" {
		return errors.New("no envelope sender: add a \"from\" line (\"from <>\" for a bounce's null sender)")
	}
	path := f.Resolve(dr.Delivery.Message)
	raw, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read message: %w", err)
	}
	msg, err := message.Parse(raw, message.DefaultOptions())
	if err != nil {
		return fmt.Errorf("read message %s: %w", path, err)
	}
	if err := trusted.use(f, dr.Delivery.Trust); err != nil {
		return err
	}
	from := env.From
	if from == NullSender {
		from = ""
	}
	d := engine.Delivery{Message: msg, EnvelopeFrom: from, EnvelopeTo: env.To, Time: env.Now}
	dr.Eval = progs.eval.Evaluate(ctx, d)
	dr.Traced = progs.traced.Evaluate(ctx, d)
	if progs.stateless != nil {
		r := progs.stateless.Evaluate(ctx, d)
		dr.Stateless = &r
	}
	return nil
}

// StatementKinds maps each statement name of p to "rule" or "vacation",
// so that expectations and reports say which kind of block acted.
func StatementKinds(p *rules.Policy) map[string]string {
	kinds := map[string]string{}
	for _, s := range p.Statements {
		kind := "rule"
		if _, ok := s.(*rules.Vacation); ok {
			kind = "vacation"
		}
		kinds[s.Label().Value] = kind
	}
	return kinds
}

// traceLines is the trace of r, one line per statement or condition.
func traceLines(r engine.Result) []string {
	lines := strings.Split(strings.TrimSuffix(r.TraceString(), "\n"), "\n")
	if len(lines) == 1 && lines[0] == "" {
		return []string{}
	}
	return lines
}

// oneLine keeps a message on one line.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}
