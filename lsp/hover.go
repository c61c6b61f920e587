package lsp

import (
	"fmt"
	"strings"

	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/tamis-mss/tamis/parser"
)

// hover shows the documentation of the keyword at the position, as it is
// meant where it is written ("from" in a condition is not "from" in an
// absence window).
func (s *Server) hover(_ *glsp.Context, params *protocol.HoverParams) (*protocol.Hover, error) {
	d, err := s.document(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	t := d.text
	k, from, end, ok := keywordUnder(t.s, t.offset(params.Position))
	if !ok {
		return nil, nil
	}
	return &protocol.Hover{
		Contents: protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: keywordMarkdown(k, true)},
		Range:    &protocol.Range{Start: t.position(from), End: t.position(end)},
	}, nil
}

// keywordUnder finds the keyword at the byte offset off of s, and the
// bounds of the phrase written there.
func keywordUnder(s string, off int) (k parser.Keyword, from, end int, ok bool) {
	start, end := wordAt(s, off)
	if start == end {
		return k, 0, 0, false
	}
	c := scanTo(s, start)
	if c.inComment || c.inString || c.inValue {
		return k, 0, 0, false
	}
	if k, from, ok := keywordAt(c, s[start:end]); ok {
		return k, from, end, true
	}
	// A day range is one word: mon-fri.
	if i := strings.IndexByte(s[start:end], '-'); i > 0 {
		if off <= start+i {
			end = start + i
		} else {
			start += i + 1
		}
		if w := word(parser.ClassDay, s[start:end]); len(w) > 0 {
			return w[0], start, end, true
		}
	}
	return k, 0, 0, false
}

// keywordAt finds the keyword the word w is, or is part of, after the
// context c; from is where the phrase begins.
func keywordAt(c cursor, w string) (parser.Keyword, int, bool) {
	for _, cand := range candidates(c) {
		first, rest, _ := strings.Cut(cand.kw.Phrase, " ")
		switch {
		case cand.from < c.wordStart && rest == w:
			// The second word of a phrase, after its first: "to" of "copy to".
			return cand.kw, cand.from, true
		case cand.from == c.wordStart && first == w:
			return cand.kw, c.wordStart, true
		}
	}
	// Out of place, or in a text being typed: any meaning of the word.
	for _, k := range keywords() {
		if first, _, _ := strings.Cut(k.Phrase, " "); first == w {
			return k, c.wordStart, true
		}
	}
	return parser.Keyword{}, 0, false
}

// keywordMarkdown documents a keyword: its syntax, where it is allowed,
// what it means and an example.
func keywordMarkdown(k parser.Keyword, withSyntax bool) string {
	var b strings.Builder
	if withSyntax {
		fmt.Fprintf(&b, "```tamis\n%s\n```\n\n", k.Syntax)
	}
	fmt.Fprintf(&b, "**%s** (%s)", k.Phrase, describeClass(k.Class))
	if k.Note != "" {
		fmt.Fprintf(&b, ", %s", k.Note)
	}
	b.WriteString("\n\n")
	b.WriteString(k.Doc)
	if k.Example != "" {
		fmt.Fprintf(&b, "\n\nExample: `%s`", k.Example)
	}
	return b.String()
}

// describeClass names a class of keywords for a person.
func describeClass(c parser.Class) string {
	switch c {
	case parser.ClassKind:
		return "match kind"
	case parser.ClassPart:
		return "address part"
	case parser.ClassEnvelope:
		return "envelope field"
	case parser.ClassSender:
		return "sender predicate"
	case parser.ClassMessage:
		return "message predicate"
	case parser.ClassCompare:
		return "size comparison"
	case parser.ClassUnit:
		return "period unit"
	case parser.ClassDay:
		return "day of the week"
	}
	return string(c)
}
