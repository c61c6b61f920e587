package lsp

import (
	"context"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/internal/locale"
	"github.com/tamis-mss/tamis/parser"
	"github.com/tamis-mss/tamis/rules"
)

// diagnose parses and compiles d as "tamis check" does and returns its
// diagnostics for the protocol. The engine's "unverified-trust" warning,
// which has no place in the text, is said once as a log message instead
// (see initialize).
func (s *Server) diagnose(d *document) []protocol.Diagnostic {
	ds := s.check(d)
	p := s.printer()
	out := make([]protocol.Diagnostic, 0, len(ds))
	for _, diag := range ds {
		out = append(out, toProtocol(d, p.Diagnostic(diag), p))
	}
	return out
}

// check returns the diagnostics of parsing and compiling d, sorted. The
// policy is compiled even with syntax errors, so that the trust problems
// of what could be read show at once.
func (s *Server) check(d *document) rules.Diagnostics {
	p, diags := parser.Parse(d.name(), []byte(d.text.s), *s.opts.Parser)
	_, cdiags := engine.Compile(context.Background(), p, s.compileOptions())
	var out rules.Diagnostics
	for _, diag := range append(diags, cdiags...) {
		if diag.Code != rules.CodeUnverifiedTrust {
			out = append(out, diag)
		}
	}
	out.Sort()
	return out
}

// toProtocol converts a diagnostic; the hint follows the message on its
// own line, since the protocol has no place for it, and the related
// positions ("the reject", "the earlier window") become the protocol's
// related information, which editors show as links.
func toProtocol(doc *document, d rules.Diagnostic, p *locale.Printer) protocol.Diagnostic {
	t := doc.text
	sev := protocol.DiagnosticSeverityError
	if d.Severity == rules.Warning {
		sev = protocol.DiagnosticSeverityWarning
	}
	source := "tamis"
	msg := d.Message
	if d.Hint != "" {
		msg += "\n" + p.Sprintf("hint: %s", d.Hint)
	}
	var related []protocol.DiagnosticRelatedInformation
	for _, r := range d.Related {
		if r.Range.File != d.Range.File {
			continue // another file than the open document
		}
		related = append(related, protocol.DiagnosticRelatedInformation{
			Location: protocol.Location{URI: doc.uri, Range: t.rangeOf(r.Range)},
			Message:  r.Message,
		})
	}
	return protocol.Diagnostic{
		Range:              t.rangeOf(d.Range),
		Severity:           &sev,
		Code:               &protocol.IntegerOrString{Value: string(d.Code)},
		Source:             &source,
		Message:            msg,
		RelatedInformation: related,
	}
}
