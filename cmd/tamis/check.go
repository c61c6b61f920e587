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
	usage: "[--trust FILE [--checksum HEX]] [--format text|json|github] [--strict] PATH…",
	about: `
Check reads every policy (.rules) file named, and every .rules file found in
the directories named, and reports all their problems: syntax, values,
conflicts, and reroute or copy targets outside the MSSanté trust space.

Each diagnostic is printed as "file:line:col: severity: message [code]", with
the source line, a caret under the culprit and a hint. --format json prints
one JSON object; --format github prints GitHub Actions annotations, shown
inline on the pull request.

Exit status: 0 when no error was found (warnings alone do not fail, unless
--strict), 1 when there are diagnostics, 2 for bad usage or a file that
cannot be read.`,
	examples: `
tamis check examples
tamis check --trust listeblanchemssante.xml --checksum "$(cat checksum)" policies/
tamis check --format github policies/   # in a GitHub Actions step`,
}

func runCheck(env *cliEnv, args []string) int {
	fs := newFlags("check")
	var trust trustFlags
	trust.register(fs)
	var lf layerFlags
	lf.register(fs)
	format := fs.String("format", "text", "output `format`: text, json or github")
	strict := fs.Bool("strict", false, "fail (exit 1) on warnings too")
	paths, code, ok := parseArgs(env, fs, checkHelp, args)
	if !ok {
		return code
	}
	if !oneOf(env, "check", "format", *format, "text", "json", "github") {
		return exitUsage
	}
	if len(paths) == 0 {
		fmt.Fprintln(env.stderr, `tamis check: no policy given; name .rules files or directories, e.g. "tamis check examples"`)
		return exitUsage
	}
	files, err := collectPolicies(paths)
	if err != nil {
		fmt.Fprintf(env.stderr, "tamis check: %s\n", err)
		return exitUsage
	}
	ts, err := trust.load("check", env.stderr)
	if err != nil {
		fmt.Fprintf(env.stderr, "tamis check: %s\n", err)
		return exitUsage
	}
	opts := engine.DefaultOptions()
	opts.Trust = ts

	var all []*checked
	ioFailed := false
	for _, f := range files {
		c, err := checkPolicy(f, opts)
		if err != nil {
			fmt.Fprintf(env.stderr, "tamis check: %s\n", err)
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
			fmt.Fprintf(env.stderr, "tamis check: %s\n", err)
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
		writeCheckJSON(env.stdout, all, ts.List().Verified(), errs, warns)
	case "github":
		for _, c := range all {
			for _, d := range c.diagnostics {
				fmt.Fprintln(env.stdout, githubAnnotation(d))
			}
		}
	default:
		for _, c := range all {
			for _, d := range c.diagnostics {
				fmt.Fprint(env.stdout, d.Render(c.src))
			}
		}
		fmt.Fprintf(env.stdout, "%s checked: %s, %s\n", plural(len(all), "policy", "policies"),
			plural(errs, "error", "errors"), plural(warns, "warning", "warnings"))
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
func githubAnnotation(d rules.Diagnostic) string {
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
		msg += "\nhint: " + d.Hint
	}
	for _, r := range d.Related {
		msg += fmt.Sprintf("\n%s: note: %s", r.Range, r.Message)
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
