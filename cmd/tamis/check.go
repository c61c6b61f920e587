package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/rules"
)

var checkHelp = help{
	name:  "check",
	usage: "[--trust FILE [--checksum HEX]] [--format text|json|github|junit] [--strict] PATH…",
	about: `
Check reads every policy (.rules) file named, and every .rules file found in
the directories named, and reports all their problems: syntax, values,
conflicts, and reroute or copy targets outside the MSSanté trust space.
With --accounts it also checks a users file as a BAL cabinet's accounts:
roles given on an address outside the trust space, a cabinet without
exactly one principal co-holder, a delegate who is also a co-holder.

Each diagnostic is printed as "file:line:col: severity: message [code]", with
the source line, a caret under the culprit and a hint. --format json prints
one JSON object; --format github prints GitHub Actions annotations, shown
inline on the pull request; --format junit prints a JUnit XML report (one
test case per policy, failed by its errors), which CI servers display.

Exit status: 0 when no error was found (warnings alone do not fail, unless
--strict), 1 when there are diagnostics, 2 for bad usage or a file that
cannot be read.`,
	examples: `
tamis check examples
tamis check --trust listeblanchemssante.xml --checksum "$(cat checksum)" policies/
tamis check --format github policies/   # in a GitHub Actions step
tamis check --trust listeblanchemssante.xml --accounts users   # a cabinet's roles`,
}

func runCheck(env *cliEnv, args []string) int {
	fs := newFlags("check")
	var trust trustFlags
	trust.register(fs)
	var lf layerFlags
	lf.register(fs)
	format := fs.String("format", "text", "output `format`: text, json, github or junit")
	strict := fs.Bool("strict", false, "fail (exit 1) on warnings too")
	accountsFile := fs.String("accounts", "", "also check a cabinet's accounts (users) `FILE`: roles, principal co-holder, trust space")
	paths, code, ok := parseArgs(env, fs, checkHelp, args)
	if !ok {
		return code
	}
	if !oneOf(env, "check", "format", *format, "text", "json", "github", "junit") {
		return exitUsage
	}
	if len(paths) == 0 && *accountsFile == "" {
		env.p.Fprintln(env.stderr, `tamis check: no policy given; name .rules files or directories, e.g. "tamis check examples"`)
		return exitUsage
	}
	var files []string
	if len(paths) > 0 {
		var err error
		if files, err = collectPolicies(paths); err != nil {
			env.p.Fprintf(env.stderr, "tamis check: %s\n", err)
			return exitUsage
		}
	}
	ts, err := trust.load(env, true)
	if err != nil {
		env.p.Fprintf(env.stderr, "tamis check: %s\n", err)
		return exitUsage
	}
	opts := engine.DefaultOptions()
	opts.Trust = ts

	var all []*checked
	ioFailed := false
	for _, f := range files {
		c, err := checkPolicy(f, opts)
		if err != nil {
			env.p.Fprintf(env.stderr, "tamis check: %s\n", err)
			ioFailed = true
			continue
		}
		all = append(all, c)
	}
	if lf.set() {
		// The layers are checked as files, and every policy as the user's
		// policy between them.
		ls, err := lf.load(opts)
		if err != nil {
			env.p.Fprintf(env.stderr, "tamis check: %s\n", err)
			return exitUsage
		}
		if !ls.hasErrors() {
			for _, c := range all {
				if c.diagnostics.HasErrors() {
					continue
				}
				_, extra := ls.compile(c, opts)
				for _, d := range extra {
					if d.Range.File == c.path {
						c.diagnostics = append(c.diagnostics, d)
					}
				}
				c.diagnostics.Sort()
			}
		}
		all = append(ls.before, append(all, ls.after...)...)
	}
	if *accountsFile != "" {
		c, err := checkAccounts(*accountsFile, ts.List())
		if err != nil {
			env.p.Fprintf(env.stderr, "tamis check: %s\n", err)
			return exitUsage
		}
		all = append(all, c)
	}
	errs, warns := 0, 0
	for _, c := range all {
		for _, d := range c.diagnostics {
			if d.Severity == rules.Error {
				errs++
			} else {
				warns++
			}
		}
	}
	switch *format {
	case "json":
		writeCheckJSON(env.stdout, translated(env, all), ts.List().Verified(), errs, warns)
	case "github":
		for _, c := range translated(env, all) {
			for _, d := range c.diagnostics {
				fmt.Fprintln(env.stdout, githubAnnotation(env, d))
			}
		}
	case "junit":
		writeCheckJUnit(env, env.stdout, translated(env, all), *strict)
	default:
		for _, c := range all {
			for _, d := range c.diagnostics {
				fmt.Fprint(env.stdout, env.p.Render(d, c.src))
			}
		}
		fmt.Fprintln(env.stdout, env.p.Text(fmt.Sprintf("%s checked: %s, %s", plural(len(all), "policy", "policies"),
			plural(errs, "error", "errors"), plural(warns, "warning", "warnings"))))
	}
	switch {
	case ioFailed:
		return exitUsage
	case errs > 0 || (*strict && warns > 0):
		return exitFound
	}
	return exitOK
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// jsonDiagnostic is a diagnostic in the JSON output of check. Lines and
// columns are 1-based, columns count characters.
type jsonDiagnostic struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"end_line"`
	EndColumn int    `json:"end_column"`
	Severity  string `json:"severity"`
	Code      string `json:"code"`
	Message   string `json:"message"`
	Hint      string `json:"hint,omitempty"`
	// Related are the other places the diagnostic refers to ("the first
	// reject", "shadowed by this block").
	Related []jsonRelated `json:"related,omitempty"`
}

// jsonRelated is a related range of a diagnostic.
type jsonRelated struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// translated returns the checked policies with their diagnostics in the
// user's language, for the formats that print them without Render.
func translated(env *cliEnv, all []*checked) []*checked {
	if env.p.English() {
		return all
	}
	out := make([]*checked, len(all))
	for i, c := range all {
		t := *c
		t.diagnostics = env.p.Diagnostics(c.diagnostics)
		out[i] = &t
	}
	return out
}

// jsonCheck is the JSON output of check.
type jsonCheck struct {
	Files         []string         `json:"files"`
	TrustVerified bool             `json:"trust_verified"`
	Errors        int              `json:"errors"`
	Warnings      int              `json:"warnings"`
	Diagnostics   []jsonDiagnostic `json:"diagnostics"`
}

func writeCheckJSON(w io.Writer, all []*checked, verified bool, errs, warns int) {
	out := jsonCheck{Files: []string{}, TrustVerified: verified, Errors: errs, Warnings: warns, Diagnostics: []jsonDiagnostic{}}
	for _, c := range all {
		out.Files = append(out.Files, c.path)
		for _, d := range c.diagnostics {
			file := d.Range.File
			if file == "" {
				file = c.path
			}
			jd := jsonDiagnostic{
				File: file, Line: d.Range.Start.Line, Column: d.Range.Start.Column,
				EndLine: d.Range.End.Line, EndColumn: d.Range.End.Column,
				Severity: d.Severity.String(), Code: string(d.Code), Message: d.Message, Hint: d.Hint,
			}
			for _, r := range d.Related {
				rf := r.Range.File
				if rf == "" {
					rf = file
				}
				jd.Related = append(jd.Related, jsonRelated{File: rf, Line: r.Range.Start.Line, Column: r.Range.Start.Column, Message: r.Message})
			}
			out.Diagnostics = append(out.Diagnostics, jd)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(out)
}

// githubAnnotation formats d as a GitHub Actions workflow command, which
// the Actions runner turns into an inline annotation on the file.
func githubAnnotation(env *cliEnv, d rules.Diagnostic) string {
	level := "error"
	if d.Severity == rules.Warning {
		level = "warning"
	}
	props := []string{"file=" + ghProperty(d.Range.File)}
	if d.Range.IsValid() {
		props = append(props, fmt.Sprintf("line=%d", d.Range.Start.Line), fmt.Sprintf("col=%d", d.Range.Start.Column))
		if d.Range.End.Line >= d.Range.Start.Line {
			props = append(props, fmt.Sprintf("endLine=%d", d.Range.End.Line))
			if d.Range.End.Line == d.Range.Start.Line && d.Range.End.Column > d.Range.Start.Column {
				props = append(props, fmt.Sprintf("endColumn=%d", d.Range.End.Column))
			}
		}
	}
	props = append(props, "title="+ghProperty("tamis "+string(d.Code)))
	msg := d.Message
	if d.Hint != "" {
		msg += "\n" + env.p.Sprintf("hint: %s", d.Hint)
	}
	for _, r := range d.Related {
		msg += "\n" + env.p.Sprintf("%s: note: %s", r.Range, r.Message)
	}
	return fmt.Sprintf("::%s %s::%s", level, strings.Join(props, ","), ghData(msg))
}

// ghData escapes the message part of a workflow command.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a property value of a workflow command.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
