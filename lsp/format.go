package lsp

import (
	"strings"

	"github.com/sourcegraph/jsonrpc2"
	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/tamis-mss/tamis/parser"
	"github.com/tamis-mss/tamis/rules"
)

// formatting answers with the edit that makes the document canonical: the
// lines that differ, replaced, so that the editor keeps the cursor and the
// marks of the other lines; no edit when the document is canonical. Like
// "tamis fmt" it refuses a document with errors, and a result that would
// not read back as the same policy.
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
	start, oldEnd, newEnd := changedLines(d.text.s, out)
	return []protocol.TextEdit{{
		Range:   protocol.Range{Start: d.text.position(start), End: d.text.position(oldEnd)},
		NewText: out[start:newEnd],
	}}, nil
}

// changedLines returns the byte range of old, [start, oldEnd), and of new,
// [start, newEnd), that differ, cut at line boundaries: the lines both
// begin and end with are left out.
func changedLines(old, new string) (start, oldEnd, newEnd int) {
	for {
		i := strings.IndexByte(old[start:], '\n')
		if i < 0 || !strings.HasPrefix(new[start:], old[start:start+i+1]) {
			break
		}
		start += i + 1
	}
	oldEnd, newEnd = len(old), len(new)
	for {
		// The last line of each, with its line end.
		i := strings.LastIndexByte(old[:oldEnd-min(oldEnd, 1)], '\n') + 1
		line := old[i:oldEnd]
		if line == "" || i < start || !strings.HasSuffix(new[:newEnd], line) || newEnd-len(line) < start ||
			newEnd-len(line) > 0 && new[newEnd-len(line)-1] != '\n' {
			break
		}
		oldEnd, newEnd = i, newEnd-len(line)
	}
	return start, oldEnd, newEnd
}

// format returns the canonical text of d, or why it is not formatted.
func (s *Server) format(d *document) (string, string) {
	p, diags := parser.Parse(d.name(), []byte(d.text.s), *s.opts.Parser)
	if n := countErrors(diags); n > 0 {
		return "", s.printer().Text(msgNotFormatted(n))
	}
	out := parser.Format(p)
	q, qdiags := parser.Parse(d.name(), out, *s.opts.Parser)
	if qdiags.HasErrors() || rules.DumpWithoutPositions(q) != rules.DumpWithoutPositions(p) {
		return "", s.printer().Text(msgFormatChangesMeaning)
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
