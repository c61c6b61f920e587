package lsp

import (
	"fmt"
	"strings"

	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/tamis-mss/tamis/internal/locale"
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
		Contents: protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: keywordMarkdown(k, true, s.printer())},
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

// keywordMarkdown documents a keyword in p's language: its syntax, where
// it is allowed, what it means and an example. The syntax, the phrase and
// the example are the language's, the same in every language.
func keywordMarkdown(k parser.Keyword, withSyntax bool, p *locale.Printer) string {
	var b strings.Builder
	if withSyntax {
		fmt.Fprintf(&b, "```tamis\n%s\n```\n\n", k.Syntax)
	}
	fmt.Fprintf(&b, "**%s** (%s)", k.Phrase, p.Text(describeClass(k.Class)))
	if k.Note != "" {
		fmt.Fprintf(&b, ", %s", p.Text(k.Note))
	}
	b.WriteString("\n\n")
	b.WriteString(p.Text(k.Doc))
	if k.Example != "" {
		b.WriteString("\n\n")
		b.WriteString(p.Sprintf("Example: `%s`", p.Text(k.Example)))
	}
	return b.String()
}

// msgClasses name the classes of keywords for a person.
var msgClasses = map[parser.Class]string{
	parser.ClassTop:       "top level",
	parser.ClassItem:      "block item",
	parser.ClassSetting:   "reply setting",
	parser.ClassAction:    "action",
	parser.ClassCondition: "condition",
	parser.ClassKind:      "match kind",
	parser.ClassPart:      "address part",
	parser.ClassEnvelope:  "envelope field",
	parser.ClassSender:    "sender predicate",
	parser.ClassMessage:   "message predicate",
	parser.ClassCompare:   "size comparison",
	parser.ClassUnit:      "period unit",
	parser.ClassDay:       "day of the week",
	parser.ClassModifier:  "modifier",
}

// describeClass names a class of keywords for a person, in English.
func describeClass(c parser.Class) string {
	if d, ok := msgClasses[c]; ok {
		return d
	}
	return string(c)
}
