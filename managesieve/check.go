package managesieve

import (
	"context"
	"fmt"
	"strings"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/parser"
	"github.com/tamis-mss/tamis/rules"
	"github.com/tamis-mss/tamis/sieve"
)

// maxReported is the number of diagnostics an answer spells out; the rest
// are counted.
const maxReported = 3

// checkResult is what an upload means: the policy imported from it, or why
// it cannot be one.
type checkResult struct {
	policy           []byte // the .rules text, when there is no error
	errors, warnings rules.Diagnostics
}

func (s *Server) maxRedirects() int {
	if s.opts.Engine.MaxRedirects > 0 {
		return s.opts.Engine.MaxRedirects
	}
	return engine.DefaultMaxRedirects
}

// check imports a Sieve script and compiles it for mailbox against the
// trust space, as the delivery agent will: whatever it refuses, the upload
// is refused with the same positioned reasons.
func (s *Server) check(mailbox, name string, text []byte) checkResult {
	var res checkResult
	pol, diags := sieve.Import(name+".sieve", text)
	if !diags.HasErrors() {
		opts := s.opts.Engine
		opts.Trust, opts.Mailbox = s.opts.Trust, mailbox
		_, cd := engine.Compile(context.Background(), pol, opts)
		diags = append(diags, cd...)
	}
	for _, d := range diags {
		switch {
		case d.Severity == rules.Error:
			res.errors = append(res.errors, d)
		case d.Code == rules.CodeUnverifiedTrust:
			// An operator's configuration matter, said in the server's log
			// rather than to every user.
		default:
			res.warnings = append(res.warnings, d)
		}
	}
	if len(res.errors) == 0 {
		res.policy = parser.Format(pol)
		// The delivery agent reads the stored .rules text, not pol: refuse
		// an upload whose policy would not read back.
		if _, pd := parser.Parse(name+".rules", res.policy, parser.DefaultOptions()); pd.HasErrors() {
			res.policy = nil
			res.errors = append(res.errors, rules.Diagnostic{Severity: rules.Error, Code: CodeNoReadBack,
				Message: "tamis could not store this script: its policy does not read back (" + oneLine(pd[0].Message) + ")",
				Hint:    "this is a bug in tamis; please report it with the script"})
		}
	}
	return res
}

// CodeNoReadBack is the diagnostic of an upload whose imported policy, once
// written as .rules text, does not parse again (a bug, refused rather than
// stored).
const CodeNoReadBack rules.Code = "no-read-back"

// message spells out diagnostics for a person: "line 5: copy target … is
// outside the MSSanté trust space — did you mean …?", several joined by
// "; ".
func (checkResult) message(ds rules.Diagnostics) string {
	var parts []string
	for i, d := range ds {
		if i == maxReported {
			parts = append(parts, fmt.Sprintf("and %d more", len(ds)-maxReported))
			break
		}
		var b strings.Builder
		if d.Range.Start.Line > 0 {
			fmt.Fprintf(&b, "line %d: ", d.Range.Start.Line)
		}
		b.WriteString(oneLine(d.Message))
		if d.Hint != "" {
			b.WriteString(" — " + oneLine(d.Hint))
		}
		parts = append(parts, b.String())
	}
	return strings.Join(parts, "; ")
}

// codes lists the diagnostics' codes, for the audit log.
func (c checkResult) codes() string {
	var codes []string
	for _, d := range c.errors {
		codes = append(codes, string(d.Code))
	}
	return strings.Join(codes, ",")
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
