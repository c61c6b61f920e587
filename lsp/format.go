package lsp

import (
	"github.com/sourcegraph/jsonrpc2"
	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/tamis-mss/tamis/parser"
	"github.com/tamis-mss/tamis/rules"
)

// formatting answers with the canonical text of the document, as one edit
// of the whole text, or no edit when it is already canonical. Like "tamis
// fmt" it refuses a document with errors, and a result that would not read
// back as the same policy.
func (s *Server) formatting(_ *glsp.Context, params *protocol.DocumentFormattingParams) ([]protocol.TextEdit, error) {
	d, err := s.document(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	out, refusal := s.format(d)
	if refusal != "" {
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidRequest, Message: refusal}
	}
	if out == d.text.s {
		return []protocol.TextEdit{}, nil
	}
	return []protocol.TextEdit{{
		Range:   protocol.Range{Start: protocol.Position{}, End: d.text.end()},
		NewText: out,
	}}, nil
}

// format returns the canonical text of d, or why it is not formatted.
func (s *Server) format(d *document) (string, string) {
	p, diags := parser.Parse(d.name(), []byte(d.text.s), *s.opts.Parser)
	if n := countErrors(diags); n > 0 {
		return "", msgNotFormatted(n)
	}
	out := parser.Format(p)
	q, qdiags := parser.Parse(d.name(), out, *s.opts.Parser)
	if qdiags.HasErrors() || rules.DumpWithoutPositions(q) != rules.DumpWithoutPositions(p) {
		return "", msgFormatChangesMeaning
	}
	return string(out), ""
}

func countErrors(ds rules.Diagnostics) int {
	n := 0
	for _, d := range ds {
		if d.Severity == rules.Error {
			n++
		}
	}
	return n
}
