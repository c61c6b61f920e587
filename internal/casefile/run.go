package casefile

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/engine/vacation"
	"github.com/tamis-mss/tamis/mssante"
	"github.com/tamis-mss/tamis/parser"
	"github.com/tamis-mss/tamis/rules"
)

// Options configures Run.
type Options struct {
	// Trust is the trust space the policy is compiled against; nil means
	// the built-in unverified fallback.
	Trust *mssante.TrustSpace
	// Before and After are operator policies run before and after the
	// case's policy (engine.CompileLayers), already checked by the caller.
	Before, After []*rules.Policy
}

// Result is the outcome of one case file.
type Result struct {
	File *File
	// PolicyPath is the policy file used, as opened.
	PolicyPath string
	// Source is the policy's text, for rendering Diagnostics.
	Source []byte
	// Diagnostics are the policy's diagnostics (parse and compile), without
	// the "unverified-trust" warning. An error among them fails the case.
	Diagnostics rules.Diagnostics
	// Deliveries holds one outcome per delivery, in order; it is empty
	// when the policy could not be used.
	Deliveries []DeliveryResult
	// Err is a problem with the case itself: the policy or a message cannot
	// be read, or the policy has errors. The case fails.
	Err error
}

// DeliveryResult is the outcome of one delivery.
type DeliveryResult struct {
	Delivery *Delivery
	// Envelope is the envelope the message was delivered with.
	Envelope Envelope
	// Eval is what the engine decided.
	Eval engine.Result
	// Got is Eval rendered as expectation lines.
	Got []string
	// Diff is the line diff from Delivery.Expect to Got; empty when they
	// are equal.
	Diff string
	// Err is why the delivery could not be evaluated (unreadable message,
	// missing envelope); the case fails.
	Err error
}

// Passed reports whether the delivery was evaluated and met its
// expectations (a delivery without an expect block never passes).
func (d *DeliveryResult) Passed() bool {
	return d.Err == nil && d.Delivery.Expect != nil && d.Diff == ""
}

// Passed reports whether every delivery of the case met its expectations.
func (r *Result) Passed() bool {
	if r.Err != nil || len(r.Deliveries) == 0 {
		return false
	}
	for i := range r.Deliveries {
		if !r.Deliveries[i].Passed() {
			return false
		}
	}
	return true
}

// Got returns the computed expectation lines of every delivery, for
// File.Rewrite; nil when a delivery could not be evaluated.
func (r *Result) Got() [][]string {
	if r.Err != nil {
		return nil
	}
	got := make([][]string, len(r.Deliveries))
	for i, d := range r.Deliveries {
		if d.Err != nil {
			return nil
		}
		got[i] = d.Got
	}
	return got
}

// PolicyPath returns the policy file of f: the policy line, relative to the
// case file's directory, or else the only .rules file in that directory.
func (f *File) PolicyPath() (string, error) {
	dir := filepath.Dir(f.Path)
	if f.Policy != "" {
		return filepath.Join(dir, f.Policy), nil
	}
	matches, err := filepath.Glob(filepath.Join(dir, "*.rules"))
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

// Run evaluates every delivery of f, in order, with one compiled program
// and one reply tracker, and compares each outcome with its expectations.
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
	res.Source = src
	eopts := engine.DefaultOptions()
	eopts.Trust = opts.Trust
	eopts.Tracker = vacation.NewMemoryTracker(vacation.DefaultMaxPerMailbox)
	eopts.Trace = true
	var prog *engine.Program
	var cdiags rules.Diagnostics
	kinds := StatementKinds(policy)
	if len(opts.Before)+len(opts.After) > 0 {
		prog, cdiags = engine.CompileLayers(engine.Layers{Before: opts.Before, User: policy, After: opts.After}, eopts)
		for _, l := range append(append([]*rules.Policy{}, opts.Before...), opts.After...) {
			for name, kind := range StatementKinds(l) {
				if _, ok := kinds[name]; !ok {
					kinds[name] = kind
				}
			}
		}
	} else {
		prog, cdiags = engine.Compile(policy, eopts)
	}
	for _, d := range diags.Merge(cdiags) {
		if d.Range.File != "" && d.Range.File != policy.File && d.Code != engine.CodeLayerMailbox {
			continue // a layer's own diagnostics: the caller checked the layers
		}
		if d.Code != rules.CodeUnverifiedTrust {
			res.Diagnostics = append(res.Diagnostics, d)
		}
	}
	res.Diagnostics.Sort()
	if res.Diagnostics.HasErrors() {
		res.Err = fmt.Errorf("%s: the policy %s has errors", f.Path, path)
		return res
	}
	dir := filepath.Dir(f.Path)
	for _, d := range f.Deliveries {
		dr := DeliveryResult{Delivery: d, Envelope: f.Effective(d)}
		dr.Err = deliver(ctx, prog, filepath.Join(dir, d.Message), &dr)
		if dr.Err != nil {
			dr.Err = fmt.Errorf("%s:%d: %w", f.Path, d.Line, dr.Err)
		} else {
			dr.Got = Expectations(dr.Eval, kinds)
			// Errors name the policy by the path it was opened with, which
			// depends on the directory tests run from; goldens use its base
			// name.
			for i, l := range dr.Got {
				dr.Got[i] = strings.ReplaceAll(l, path+":", filepath.Base(path)+":")
			}
			if d.Expect != nil {
				dr.Diff = Diff(d.Expect, dr.Got)
			}
		}
		res.Deliveries = append(res.Deliveries, dr)
	}
	return res
}

// deliver reads one message and evaluates it.
func deliver(ctx context.Context, prog *engine.Program, path string, dr *DeliveryResult) error {
	env := dr.Envelope
	if env.Now.IsZero() {
		return errors.New("no delivery time: add a \"now\" line (RFC 3339) to the case or the delivery")
	}
	if env.From == "" {
		return errors.New("no envelope sender: add a \"from\" line (\"from <>\" for a bounce's null sender)")
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read message: %w", err)
	}
	msg, err := message.Parse(raw, message.DefaultOptions())
	if err != nil {
		return fmt.Errorf("read message %s: %w", path, err)
	}
	from := env.From
	if from == NullSender {
		from = ""
	}
	dr.Eval = prog.Evaluate(ctx, engine.Delivery{Message: msg, EnvelopeFrom: from, EnvelopeTo: env.To, Time: env.Now})
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

// Expectations renders an engine result as expectation lines, one fact per
// line, in a stable form that does not depend on source positions (so that
// adding a comment to a policy does not change every golden):
//
//	copy to "remplacant@medecin.mssante.fr"  (vacation "Congés d'été")
//	reply to "dr.martin@chu-nantes.mssante.fr" subject "Absence"  (vacation "Congés d'été")
//	keep (implicit)
//	no reply: mailing-list  (vacation "Congés d'été")
//	refused copy to "x@y.mssante.fr": outside-trust-space  (rule "Copie")
//	error: …
//
// kinds maps statement names to "rule" or "vacation"; a name missing from
// it is labelled "rule".
func Expectations(r engine.Result, kinds map[string]string) []string {
	lines := []string{}
	for _, a := range r.Actions {
		lines = append(lines, describeAction(a, r.Reply)+origin(a.Rule, kinds))
	}
	if r.ImplicitKeep {
		lines = append(lines, "keep (implicit)")
	}
	if s := r.Suppressed; s != nil {
		lines = append(lines, "no reply: "+s.Code+origin(s.Rule, kinds))
	}
	for _, f := range r.Refused {
		lines = append(lines, fmt.Sprintf("refused %s to %q: %s%s", f.Kind, f.Target, f.Code, origin(f.Rule, kinds)))
	}
	for _, err := range r.Errors {
		lines = append(lines, "error: "+oneLine(err.Error()))
	}
	return lines
}

func describeAction(a engine.Action, reply *engine.OutgoingReply) string {
	switch a.Kind {
	case engine.ActionReject:
		return fmt.Sprintf("reject %q", a.Reason)
	case engine.ActionReroute:
		return fmt.Sprintf("reroute to %q", a.Target.String())
	case engine.ActionCopy:
		return fmt.Sprintf("copy to %q", a.Target.String())
	case engine.ActionFileInto:
		return fmt.Sprintf("file into %q", a.Folder)
	case engine.ActionFlag:
		quoted := make([]string, len(a.Flags))
		for i, f := range a.Flags {
			quoted[i] = fmt.Sprintf("%q", f)
		}
		return "flag [" + strings.Join(quoted, ", ") + "]"
	case engine.ActionReply:
		if reply != nil {
			return fmt.Sprintf("reply to %q subject %q", reply.To, reply.Subject)
		}
		return "reply"
	}
	return a.Kind.String()
}

func origin(name string, kinds map[string]string) string {
	if name == "" {
		return ""
	}
	kind := kinds[name]
	if kind == "" {
		kind = "rule"
	}
	return fmt.Sprintf("  (%s %q)", kind, name)
}

// oneLine keeps an error message on one expectation line.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}
