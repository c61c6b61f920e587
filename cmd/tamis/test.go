package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/internal/casefile"
	"github.com/tamis-mss/tamis/internal/locale"
)

var testHelp = help{
	name:  "test",
	usage: "[--update] [--format text|junit] [-q] [--trust FILE [--checksum HEX]] [PATH…]",
	about: `
Test runs golden cases: each .case file names a policy, the messages delivered
to it (with envelope and clock) and the expected outcome of each delivery. The
policy is checked first, then every message is evaluated and its outcome is
compared with the expectation; a difference is shown as a diff. Directories
are walked for .case files; the default path is the current directory.

--update rewrites the expect blocks with the outcomes computed (never the
inputs): review the change with "git diff" before committing it.
The case format is described in docs/TESTS.md.

Exit status: 0 when every case passes, 1 when one fails, 2 for bad usage or
when no case is found.`,
	examples: `
tamis test examples                      # run the bundled examples
tamis test -q policies/                  # only failures and the summary
tamis test --update examples/pharmacie   # record the outcomes as expectations
tamis test --format junit . > junit.xml  # for CI test reports`,
}

func runTest(env *cliEnv, args []string) int {
	fs := newFlags("test")
	var trust trustFlags
	trust.register(fs)
	var lf layerFlags
	lf.register(fs)
	update := fs.Bool("update", false, "rewrite the expectations with the computed outcomes (inputs are kept)")
	format := fs.String("format", "text", "output `format`: text or junit")
	quiet := fs.Bool("q", false, "print only failures and the summary")
	paths, code, ok := parseArgs(env, fs, testHelp, args)
	if !ok {
		return code
	}
	if !oneOf(env, "test", "format", *format, "text", "junit") {
		return exitUsage
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	files, err := collectCases(paths)
	if err != nil {
		env.p.Fprintf(env.stderr, "tamis test: %s\n", err)
		return exitUsage
	}
	ts, err := trust.load(env, true)
	if err != nil {
		env.p.Fprintf(env.stderr, "tamis test: %s\n", err)
		return exitUsage
	}

	copts := casefile.Options{Trust: ts}
	if lf.set() {
		eopts := engine.DefaultOptions()
		eopts.Trust = ts
		ls, err := lf.load(eopts)
		if err != nil {
			env.p.Fprintf(env.stderr, "tamis test: %s\n", err)
			return exitUsage
		}
		for _, l := range ls.all() {
			fmt.Fprint(env.stderr, env.p.RenderAll(l.diagnostics, map[string][]byte{l.path: l.src}))
		}
		if ls.hasErrors() {
			env.p.Fprintln(env.stderr, `tamis test: an operator layer has errors; fix them first (see "tamis check")`)
			return exitUsage
		}
		copts.Before, copts.After = policies(ls.before), policies(ls.after)
	}

	start := time.Now()
	var results []*caseRun
	for _, path := range files {
		cr := &caseRun{path: path}
		cr.file, cr.parseErr = casefile.ReadFile(path)
		if cr.parseErr == nil {
			cr.result = casefile.Run(context.Background(), cr.file, copts)
			if *update {
				cr.updated, cr.updateErr = updateCase(cr)
			}
		}
		results = append(results, cr)
	}
	sum := summarize(results)
	if *format == "junit" {
		writeJUnit(env.p, env.stdout, results, time.Since(start))
	} else {
		writeTestText(env.p, env.stdout, results, *quiet, *update)
		fmt.Fprintln(env.stdout, env.p.Text(sum.line()))
	}
	if sum.failed > 0 {
		return exitFound
	}
	return exitOK
}

// caseRun is one case file and what happened to it.
type caseRun struct {
	path      string
	file      *casefile.File
	parseErr  error
	result    *casefile.Result
	updated   bool
	updateErr error
}

func (c *caseRun) failed() bool {
	return c.parseErr != nil || c.updateErr != nil || !c.result.Passed()
}

// updateCase rewrites the expectations of a case that could be evaluated,
// re-reading the file so that the run that follows sees it as written.
func updateCase(cr *caseRun) (bool, error) {
	u, ok := cr.result.Update()
	if !ok {
		return false, nil
	}
	old, err := os.ReadFile(cr.path)
	if err != nil {
		return false, err
	}
	out := cr.file.Rewrite(u)
	if bytes.Equal(old, out) {
		return false, nil
	}
	if err := writeFileAtomic(cr.path, out); err != nil {
		return false, err
	}
	f, err := casefile.Parse(cr.path, out)
	if err != nil {
		return true, fmt.Errorf("the rewritten case does not parse: %w", err)
	}
	cr.file = f
	for i := range cr.result.Deliveries {
		d := &cr.result.Deliveries[i]
		d.Delivery = f.Deliveries[i]
		d.Diff = casefile.Diff(d.Delivery.Expect, d.Got)
		d.TraceDiff = ""
		if d.Delivery.Trace != nil {
			d.TraceDiff = casefile.Diff(d.Delivery.Trace, d.Trace)
		}
	}
	cr.result.DiagnosticsDiff = ""
	if f.Diagnostics != nil {
		cr.result.DiagnosticsDiff = casefile.Diff(f.Diagnostics, cr.result.DiagnosticLines)
	}
	cr.result.File = f
	return true, nil
}

// collectCases expands paths into .case files: files as given, directories
// walked (hidden ones skipped). Finding none is an error.
func collectCases(paths []string) ([]string, error) {
	notCase := func(p string) error {
		if !strings.HasSuffix(p, casefile.Ext) {
			return fmt.Errorf("%s: not a golden case (%s file); to check a policy, run \"tamis check %s\"", p, casefile.Ext, p)
		}
		return nil
	}
	return collectFiles(paths, casefile.Ext, notCase, func(dir string) error {
		return fmt.Errorf("%s: no %s golden cases in this directory (see docs/TESTS.md)", dir, casefile.Ext)
	})
}

// testSummary counts cases and deliveries.
type testSummary struct {
	cases, failed, deliveries, policies, updated int
}

func summarize(results []*caseRun) testSummary {
	var s testSummary
	policies := map[string]bool{}
	for _, r := range results {
		s.cases++
		if r.failed() {
			s.failed++
		}
		if r.updated {
			s.updated++
		}
		if r.result != nil {
			s.deliveries += len(r.result.Deliveries)
			if r.result.PolicyPath != "" {
				policies[r.result.PolicyPath] = true
			}
		}
	}
	s.policies = len(policies)
	return s
}

func (s testSummary) line() string {
	counts := fmt.Sprintf("%s, %s", plural(s.policies, "policy", "policies"), plural(s.deliveries, "message", "messages"))
	msg := fmt.Sprintf("ok: %s passed (%s)", plural(s.cases, "case", "cases"), counts)
	if s.failed > 0 {
		msg = fmt.Sprintf("FAIL: %d of %s failed (%s)", s.failed, plural(s.cases, "case", "cases"), counts)
	}
	if s.updated > 0 {
		msg = fmt.Sprintf("%s; %s updated", msg, plural(s.updated, "case file", "case files"))
	}
	return msg
}

// writeTestText prints the cases grouped by policy: the policy's check
// result once, then each delivery with its outcome, or its diff.
func writeTestText(p *locale.Printer, w io.Writer, results []*caseRun, quiet, update bool) {
	shown := map[string]bool{}
	for _, r := range results {
		if r.parseErr != nil {
			p.Fprintf(w, "FAIL %s\n     %v\n", r.path, caseError(p, r.parseErr))
			continue
		}
		res := r.result
		if res.PolicyPath != "" && !shown[res.PolicyPath] {
			shown[res.PolicyPath] = true
			if len(res.Diagnostics) == 0 {
				if !quiet {
					p.Fprintf(w, "policy %s: checked, no problem\n", res.PolicyPath)
				}
			} else {
				p.Fprintf(w, "policy %s:\n", res.PolicyPath)
				fmt.Fprint(w, indent(p.RenderAll(res.Diagnostics, map[string][]byte{res.PolicyPath: res.Source}), "    "))
			}
		}
		status := "ok  "
		if r.failed() {
			status = p.Text("FAIL")
		}
		if quiet && !r.failed() {
			continue
		}
		note := ""
		if r.updated {
			note = "  (expectations updated)"
		}
		p.Fprintf(w, "  %s %s%s\n", status, r.path, note)
		if !quiet {
			for _, l := range r.file.Title {
				p.Fprintf(w, "       # %s\n", l)
			}
		}
		if r.updateErr != nil {
			p.Fprintf(w, "       update failed: %v\n", r.updateErr)
		}
		if res.Err != nil {
			p.Fprintf(w, "       %v\n", caseError(p, res.Err))
			continue
		}
		if res.DiagnosticsDiff != "" {
			p.Fprintln(w, "       the policy's diagnostics differ from the expectation (- expected, + got):")
			fmt.Fprint(w, indent(res.DiagnosticsDiff, "         "))
		}
		for _, d := range res.Deliveries {
			if quiet && d.Passed() {
				continue
			}
			p.Fprintf(w, "       %s  %s\n", d.Delivery.Message, envelopeLine(p, d.Envelope))
			if !quiet {
				for _, l := range d.Delivery.Comment {
					p.Fprintf(w, "         # %s\n", l)
				}
			}
			switch {
			case d.Err != nil:
				p.Fprintf(w, "         %v\n", caseError(p, d.Err))
			case d.Delivery.Expect == nil && !update:
				fmt.Fprint(w, indent(strings.Join(d.Got, "\n")+"\n", "         "))
				p.Fprintln(w, "         no expectation recorded: run \"tamis test --update\" and review the result")
			case d.Diff != "":
				p.Fprintln(w, "         the outcome differs from the expectation (- expected, + got):")
				fmt.Fprint(w, indent(d.Diff, "         "))
				p.Fprintln(w, "         what the engine decided, and why:")
				writeExplained(w, p, d.Traced, "           ")
			default:
				fmt.Fprint(w, indent(strings.Join(d.Got, "\n")+"\n", "         "))
			}
			if d.Err == nil && d.TraceDiff != "" {
				p.Fprintln(w, "         the trace differs from the expectation (- expected, + got):")
				fmt.Fprint(w, indent(d.TraceDiff, "         "))
			}
			if d.Err == nil && d.PathsDiff != "" {
				p.Fprintln(w, "         the engine decides otherwise with a trace than without (- traced, + as a host evaluates): an engine bug")
				fmt.Fprint(w, indent(d.PathsDiff, "         "))
			}
		}
	}
}

// placeRE is the "file:line: " a case file's errors begin with.
var placeRE = regexp.MustCompile(`^(\S+:[0-9]+): (.+)$`)

// caseError says an error of a case file in p's language: its place, then
// its message translated.
func caseError(p *locale.Printer, err error) string {
	var se *casefile.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s:%d: %s", se.Path, se.Line, p.Text(se.Msg))
	}
	msg := err.Error()
	if m := placeRE.FindStringSubmatch(msg); m != nil && !p.English() {
		return m[1] + ": " + p.Text(m[2])
	}
	return p.Text(msg)
}

// envelopeLine describes a delivery's envelope in a few words, in p's
// language.
func envelopeLine(p *locale.Printer, e casefile.Envelope) string {
	var args []any
	if e.From != "" {
		args = append(args, e.From)
	}
	if e.To != "" {
		args = append(args, e.To)
	}
	if !e.Now.IsZero() {
		args = append(args, dayTime(p, e.Now, "2006-01-02 15:04 -07:00"))
	}
	switch [3]bool{e.From != "", e.To != "", !e.Now.IsZero()} {
	case [3]bool{true, true, true}:
		return p.Sprintf("(from %s, to %s, at %s)", args...)
	case [3]bool{true, true, false}:
		return p.Sprintf("(from %s, to %s)", args...)
	case [3]bool{true, false, true}:
		return p.Sprintf("(from %s, at %s)", args...)
	case [3]bool{false, true, true}:
		return p.Sprintf("(to %s, at %s)", args...)
	case [3]bool{true, false, false}:
		return p.Sprintf("(from %s)", args...)
	case [3]bool{false, true, false}:
		return p.Sprintf("(to %s)", args...)
	case [3]bool{false, false, true}:
		return p.Sprintf("(at %s)", args...)
	}
	return "()"
}

func indent(s, prefix string) string {
	if s == "" {
		return ""
	}
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l == "" {
			continue
		}
		b.WriteString(prefix)
		b.WriteString(l)
	}
	return b.String()
}

// JUnit XML, the schema CI servers (GitHub, GitLab, Jenkins) read: one
// testsuite per case file, one testcase per delivery.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// writeJUnit writes the JUnit report; the names of the test cases stay the
// same in every language, for the CI's history, and the messages are in
// p's.
func writeJUnit(p *locale.Printer, w io.Writer, results []*caseRun, elapsed time.Duration) {
	out := junitSuites{Name: "tamis", Time: fmt.Sprintf("%.3f", elapsed.Seconds())}
	for _, r := range results {
		s := junitSuite{Name: r.path}
		addError := func(name string, err error) {
			s.Cases = append(s.Cases, junitCase{Name: name, Classname: r.path, Error: &junitProblem{Message: oneLineText(caseError(p, err)), Text: caseError(p, err)}})
		}
		switch {
		case r.parseErr != nil:
			addError("case file", r.parseErr)
		case r.result.Err != nil:
			addError("policy", r.result.Err)
		default:
			if diff := r.result.DiagnosticsDiff; diff != "" {
				s.Cases = append(s.Cases, junitCase{Name: "policy diagnostics", Classname: r.path,
					Failure: &junitProblem{Message: p.Text("the policy's diagnostics differ from the expectation"), Text: diff}})
			}
			for _, d := range r.result.Deliveries {
				c := junitCase{Name: fmt.Sprintf("%s (line %d)", d.Delivery.Message, d.Delivery.Line), Classname: r.path}
				switch {
				case d.Err != nil:
					c.Error = &junitProblem{Message: oneLineText(caseError(p, d.Err)), Text: caseError(p, d.Err)}
				case d.Delivery.Expect == nil:
					c.Failure = &junitProblem{Message: p.Text("no expectation recorded"), Text: strings.Join(d.Got, "\n")}
				case d.Diff != "":
					c.Failure = &junitProblem{Message: p.Text("the outcome differs from the expectation"), Text: d.Diff}
				case d.TraceDiff != "":
					c.Failure = &junitProblem{Message: p.Text("the trace differs from the expectation"), Text: d.TraceDiff}
				case d.PathsDiff != "":
					c.Failure = &junitProblem{Message: p.Text("the engine decides otherwise with a trace than without"), Text: d.PathsDiff}
				default:
					c.SystemOut = strings.Join(d.Got, "\n")
				}
				s.Cases = append(s.Cases, c)
			}
		}
		for _, c := range s.Cases {
			s.Tests++
			if c.Failure != nil {
				s.Failures++
			}
			if c.Error != nil {
				s.Errors++
			}
		}
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
		out.Suites = append(out.Suites, s)
	}
	io.WriteString(w, xml.Header)
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	_ = enc.Encode(out)
	io.WriteString(w, "\n")
}

func oneLineText(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}
