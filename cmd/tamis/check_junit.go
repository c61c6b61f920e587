package main

import (
	"encoding/xml"
	"io"
	"strings"

	"github.com/tamis-mss/tamis/rules"
)

// writeCheckJUnit prints check's result as JUnit XML, the report CI servers
// (GitLab, Jenkins, GitHub test reporters) show: one test suite, one test
// case per policy file, failed when the policy has errors (or warnings
// with --strict); the failure holds the rendered diagnostics.
func writeCheckJUnit(env *cliEnv, w io.Writer, all []*checked, strict bool) {
	suite := junitSuite{Name: "tamis check"}
	for _, c := range all {
		tc := junitCase{Name: c.path, Classname: "tamis.check"}
		var text strings.Builder
		errs, warns := 0, 0
		for _, d := range c.diagnostics {
			text.WriteString(env.p.Render(d, c.src))
			if d.Severity == rules.Error {
				errs++
			} else {
				warns++
			}
		}
		summary := env.p.Text(plural(errs, "error", "errors")) + ", " + env.p.Text(plural(warns, "warning", "warnings"))
		switch {
		case errs > 0 || strict && warns > 0:
			first := c.diagnostics[0]
			tc.Failure = &junitProblem{Message: summary + ": " + first.Message, Text: text.String()}
		case warns > 0:
			tc.SystemOut = text.String()
		}
		suite.Cases = append(suite.Cases, tc)
		suite.Tests++
		if tc.Failure != nil {
			suite.Failures++
		}
	}
	out := junitSuites{Name: "tamis", Tests: suite.Tests, Failures: suite.Failures, Time: "0", Suites: []junitSuite{suite}}
	io.WriteString(w, xml.Header)
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	_ = enc.Encode(out)
	io.WriteString(w, "\n")
}
