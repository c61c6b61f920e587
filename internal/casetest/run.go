package casetest

import (
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
	"github.com/tamis-mss/tamis/internal/casefile"
	"github.com/tamis-mss/tamis/internal/oracle"
	"github.com/tamis-mss/tamis/mssante"
)

// Options configures Run.
type Options struct {
	// Trust is the trust space of the cases without a trust line; nil
	// means the built-in fallback.
	Trust *mssante.TrustSpace
	// Update rewrites the blocks of the case files with the outcomes
	// computed (the test package's -update flag): expect, trace and
	// diagnostics blocks with tamis's, pigeonhole blocks with Pigeonhole's.
	// Inputs are never rewritten.
	Update bool
	// Min is the least number of case files the pattern must find, so that
	// a moved corpus cannot pass by running nothing.
	Min int
	// Clean requires the policies to have no diagnostics at all, rather
	// than diagnostics recorded in a diagnostics block.
	Clean bool
}

// Run runs every case file that pattern (a filepath.Glob pattern, relative
// to the test's directory) finds, each as a parallel subtest named after
// its path. A case file with
// a sieve line also runs each delivery through Pigeonhole, in a subtest
// "pigeonhole" that is skipped with the install command when Pigeonhole is
// not installed (and fails instead when CI is set).
func Run(t *testing.T, pattern string, opts Options) {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < max(opts.Min, 1) {
		t.Fatalf("%s: found %d case files, want at least %d", pattern, len(files), max(opts.Min, 1))
	}
	for _, path := range files {
		t.Run(caseName(path), func(t *testing.T) {
			t.Parallel()
			runFile(t, path, opts)
		})
	}
}

// caseName names the subtest of a case file: its directory, and its file
// name when that differs ("copy" for copy/copy.case, "pharmacie/patients"
// for pharmacie/patients.case).
func caseName(path string) string {
	dir, file := filepath.Base(filepath.Dir(path)), strings.TrimSuffix(filepath.Base(path), casefile.Ext)
	if dir == file {
		return dir
	}
	return dir + "/" + file
}

// runFile runs one case file.
func runFile(t *testing.T, path string, opts Options) {
	f, err := casefile.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res := casefile.Run(context.Background(), f, casefile.Options{Trust: opts.Trust, Stateless: f.Sieve != ""})
	if res.Err != nil {
		t.Fatalf("%v\n%s", res.Err, res.Diagnostics.Render(map[string][]byte{res.PolicyPath: res.Source}))
	}
	rendered := func() string { return res.Diagnostics.Render(map[string][]byte{res.PolicyPath: res.Source}) }
	switch {
	case opts.Clean && len(res.Diagnostics) > 0:
		t.Errorf("%s: the policy must have no diagnostics:\n%s", path, rendered())
	case f.Diagnostics == nil && len(res.Diagnostics) > 0:
		t.Errorf("%s: the policy has diagnostics the case does not expect; add an empty diagnostics block before the first deliver and run with -update to record them:\n%s", path, rendered())
	case res.DiagnosticsDiff != "" && !opts.Update:
		t.Errorf("%s: the policy's diagnostics differ (- expected, + got):\n%s", path, res.DiagnosticsDiff)
	}
	for _, d := range res.Deliveries {
		at := fmt.Sprintf("%s:%d: %s", path, d.Delivery.Line, d.Delivery.Message)
		switch {
		case d.Err != nil:
			t.Errorf("%v", d.Err)
		case d.PathsDiff != "":
			t.Errorf("%s: the engine decides otherwise with a trace (sequential) than as a host evaluates (indexed) (- traced, + indexed):\n%s", at, d.PathsDiff)
		case opts.Update:
		case d.Delivery.Expect == nil:
			t.Errorf("%s: no expect block; run with -update and review the result:\n%s", at, strings.Join(d.Got, "\n"))
		case d.Diff != "":
			t.Errorf("%s: outcome differs (- expected, + got):\n%s", at, d.Diff)
		case d.TraceDiff != "":
			t.Errorf("%s: trace differs (- expected, + got):\n%s", at, d.TraceDiff)
		}
	}
	var pigeonhole [][]string // per delivery, Pigeonhole's lines for the pigeonhole blocks
	if f.Sieve != "" {
		t.Run("pigeonhole", func(t *testing.T) {
			oracle.RequireAvailable(t)
			pigeonhole = compareAll(t, res, opts.Update)
		})
	}
	if opts.Update {
		update(t, res, pigeonhole)
	}
}

// update rewrites the case file with what was computed.
func update(t *testing.T, res *casefile.Result, pigeonhole [][]string) {
	u, ok := res.Update()
	if !ok {
		t.Errorf("%s: not updated: a delivery could not be evaluated", res.File.Path)
		return
	}
	for i := range u.Deliveries {
		if i < len(pigeonhole) {
			u.Deliveries[i].Pigeonhole = pigeonhole[i]
		}
	}
	old, err := os.ReadFile(res.File.Path)
	if err != nil {
		t.Fatal(err)
	}
	out := res.File.Rewrite(u)
	if bytes.Equal(old, out) {
		return
	}
	if err := os.WriteFile(res.File.Path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: updated; review the change with git diff", res.File.Path)
}

// compareAll runs every delivery of a case through Pigeonhole and compares
// the outcomes; it returns Pigeonhole's lines of the deliveries that have a
// pigeonhole block, for -update.
func compareAll(t *testing.T, res *casefile.Result, updating bool) [][]string {
	f := res.File
	script, err := os.ReadFile(f.Resolve(f.Sieve))
	if err != nil {
		t.Fatal(err)
	}
	recorded := make([][]string, len(res.Deliveries))
	var wg sync.WaitGroup
	for i := range res.Deliveries {
		d := &res.Deliveries[i]
		if d.Err != nil {
			continue
		}
		wg.Go(func() {
			if lines := compare(t, res, d, script, updating); d.Delivery.Pigeonhole != nil {
				recorded[i] = lines
			}
		})
	}
	wg.Wait()
	return recorded
}

// compare runs one delivery through Pigeonhole and checks the outcome: the
// same as tamis's, or, where the delivery documents a deliberate
// difference, exactly the documented one (and still different from
// tamis's; with updating, the documented outcome is about to be rewritten).
// It returns Pigeonhole's lines.
func compare(t *testing.T, res *casefile.Result, d *casefile.DeliveryResult, script []byte, updating bool) []string {
	at := fmt.Sprintf("%s:%d: %s at %s", res.File.Path, d.Delivery.Line, d.Delivery.Message, d.Envelope.Now.UTC().Format(time.RFC3339))
	env := d.Envelope
	if env.From == casefile.NullSender || env.To == "" {
		t.Errorf("%s: Pigeonhole needs an envelope sender and recipient (sieve-test refuses the null sender): compare such a delivery in a case without a sieve line", at)
		return nil
	}
	raw, err := os.ReadFile(res.File.Resolve(d.Delivery.Message))
	if err != nil {
		t.Error(err)
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	o, err := oracle.Run(ctx, oracle.Request{Script: script, Message: raw, Now: env.Now, From: env.From, Rcpt: env.To,
		Execute: true, Extensions: extensionsFor(script)})
	if err != nil {
		t.Errorf("%s: Pigeonhole: %v\nstdout:\n%s\nstderr:\n%s", at, err, o.Stdout, o.Stderr)
		return nil
	}
	if o.ExitCode == oracle.ExitCompileError {
		t.Errorf("%s: %s does not compile in Pigeonhole:\n%s", at, res.File.Sieve, o.Stderr)
		return nil
	}
	pigeonhole := PigeonholeLines(o, true)
	tamis := CompileErrorLines(res.Diagnostics)
	if res.Compiled {
		// Pigeonhole remembers no reply between runs: compare with the
		// engine evaluating with a tracker that remembers none either. The
		// case's own tracker may only have refused a reply already sent.
		tamis = EngineLines(*d.Stateless, true)
		if shared := EngineLines(d.Eval, true); !slices.Equal(shared, tamis) && !onlyAlreadyReplied(d) {
			t.Errorf("%s: the case's reply tracker changed more than an already-sent reply (- without memory, + with):\n%s", at, casefile.Diff(tamis, shared))
		}
	}
	report := func() string {
		return fmt.Sprintf("%s (envelope from %s to %s)\n--- Pigeonhole, +++ tamis:\n%sPigeonhole said:\n%s%s\ntamis said:\n%s",
			at, env.From, env.To, casefile.Diff(pigeonhole, tamis), indent(o.Summary()), indent(o.Stderr+o.ExecuteStderr), indent(d.Eval.Summary()))
	}
	doc := d.Delivery.Pigeonhole
	switch {
	case doc == nil && !slices.Equal(pigeonhole, tamis):
		t.Errorf("tamis disagrees with Pigeonhole: %s\nIf the difference is deliberate, document it with a pigeonhole block (docs/TESTS.md).", report())
	case doc == nil:
	case slices.Equal(pigeonhole, tamis):
		t.Errorf("%s: the documented difference (%s) is gone: tamis and Pigeonhole agree; remove the pigeonhole block", at, doc.Reason)
	case !slices.Equal(doc.Lines, pigeonhole) && !updating:
		t.Errorf("%s: Pigeonhole no longer does what the case documents (%s) (- documented, + now):\n%s", at, doc.Reason, casefile.Diff(doc.Lines, pigeonhole))
	default:
		t.Logf("%s: documented difference (%s): Pigeonhole %s; tamis %s", at, doc.Reason, strings.Join(pigeonhole, " | "), strings.Join(tamis, " | "))
	}
	return pigeonhole
}

// onlyAlreadyReplied reports whether the case's tracker refused a reply the
// forgetful one sent, and nothing else differs.
func onlyAlreadyReplied(d *casefile.DeliveryResult) bool {
	shared, alone := d.Eval, *d.Stateless
	if shared.Suppressed == nil || shared.Suppressed.Code != "already-replied" || alone.Reply == nil {
		return false
	}
	withoutReply := func(r engine.Result) []string {
		r.Reply, r.Suppressed = nil, nil
		r.Actions = slices.DeleteFunc(slices.Clone(r.Actions), func(a engine.Action) bool { return a.Kind == engine.ActionReply })
		return EngineLines(r, true)
	}
	return slices.Equal(withoutReply(shared), withoutReply(alone))
}

// extensionsFor enables vacation-seconds when the script requires it:
// Pigeonhole leaves that extension off by default.
func extensionsFor(script []byte) string {
	if bytes.Contains(script, []byte(`"vacation-seconds"`)) {
		return "+vacation-seconds"
	}
	return ""
}

func indent(s string) string {
	if s == "" {
		return "    (nothing)\n"
	}
	var b strings.Builder
	for l := range strings.Lines(s) {
		b.WriteString("    ")
		b.WriteString(strings.TrimRight(l, "\r\n"))
		b.WriteByte('\n')
	}
	return b.String()
}
