package parser

import (
	"fmt"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/tamis-mss/tamis/rules"
)

// read cuts the tokens into chunks at each rule or vacation keyword that
// begins a line, so that a broken rule does not hide the next; repairs the
// brackets and braces of each chunk; and reads the chunk's top-level
// elements one after the other.
func (r *reader) read(toks []token) {
	start := 0
	for i := 1; i <= len(toks); i++ {
		if i < len(toks) && !(toks[i].kind == tWord && (toks[i].raw == "rule" || toks[i].raw == "vacation") &&
			toks[i].start.Line > lastLine(&toks[i-1])) {
			continue
		}
		var next *token
		if i < len(toks) {
			next = &toks[i]
		}
		if chunk, ok := r.balance(toks[start:i], next); ok {
			r.chunk(chunk)
		}
		start = i
	}
}

// chunk parses the top-level elements of a chunk one after the other from
// one participle lexer; an element that does not parse is read again
// alone by top, which reports its mistakes.
func (r *reader) chunk(toks []*token) {
	lex, err := lexer.Upgrade(&tokenLexer{toks: toks})
	if err != nil {
		return
	}
	for start := 0; start < len(toks); {
		n := unitEnd(toks[start:])
		unit := toks[start : start+n]
		switch {
		case n == 0 || r.overLimit(unit[0]):
		case r.parsed(lex, start+n, toks):
		default:
			r.top(unit)
		}
		start += n + 1
		for !lex.Peek().EOF() && lex.Peek().Pos.Offset < start {
			lex.Next()
		}
	}
}

// parsed parses the top-level element at the lexer's cursor, which must end
// at index end, and lowers it; it reports whether it did.
func (r *reader) parsed(lex *lexer.PeekingLexer, end int, toks []*token) bool {
	cp := lex.MakeCheckpoint()
	node, err := topParser.ParseFromLexer(lex, participle.AllowTrailing(true))
	if err != nil || lex.Peek().Pos.Offset != end {
		lex.LoadCheckpoint(cp)
		return false
	}
	r.cur, r.lost = toks, nil
	r.lowerTop(node)
	return true
}

// lastLine is the line a token ends on; a newline separator belongs to the
// line it ends.
func lastLine(t *token) int {
	if t.kind == tSep {
		return t.start.Line
	}
	return t.end.Line
}

// balance returns the chunk's tokens with unclosed lists and blocks closed,
// unmatched closers dropped, and the commas of lists repaired, each repair
// with a diagnostic. It refuses (false) a chunk nested deeper than the
// limit, which would make the parser recurse without bound.
func (r *reader) balance(toks []token, next *token) ([]*token, bool) {
	out := make([]*token, 0, len(toks)+2)
	var open []*token // the open "{" and "["
	inList := func() bool { return len(open) > 0 && open[len(open)-1].raw == "[" }
	synth := func(value string, at rules.Pos) {
		out = append(out, &token{kind: tPunct, raw: value, start: at, end: at})
	}
	closeList := func(at *token) {
		o := open[len(open)-1]
		r.report(rules.CodeSyntax, r.rangeOf(at), fmt.Sprintf("close the list opened at %d:%d with ]", o.start.Line, o.start.Column),
			"missing ] before %s", describe(at))
		synth("]", at.start)
		open = open[:len(open)-1]
	}
	tooDeep := func(t *token, what, hint string) bool {
		if r.opts.MaxDepth <= 0 {
			return false
		}
		r.report(rules.CodeLimit, r.rangeOf(t), fmt.Sprintf("simplify the %s, or raise the limit (MaxDepth = %d)", hint, r.opts.MaxDepth),
			"%s nested deeper than the limit of %d", what, r.opts.MaxDepth)
		return true
	}
	nots := 0
	for i := range toks {
		t := &toks[i]
		if t.kind == tWord && t.raw == "not" {
			if nots++; r.opts.MaxDepth > 0 && nots > r.opts.MaxDepth && tooDeep(t, "conditions", "condition") {
				return nil, false
			}
		} else {
			nots = 0
		}
		switch {
		case t.kind == tPunct && (t.raw == "{" || t.raw == "[" || t.raw == "}") && inList():
			closeList(t)
		case t.kind == tSep && inList():
			closeList(t)
		}
		if inList() {
			prev := out[len(out)-1]
			afterValue := prev.kind != tPunct
			switch {
			case t.kind == tPunct && t.raw == "," && !afterValue:
				r.report(rules.CodeSyntax, r.rangeOf(t), "remove the extra comma", "unexpected , in a list")
				continue
			case t.kind == tPunct && t.raw != "," && t.raw != "]":
				r.report(rules.CodeSyntax, r.rangeOf(t), `a list holds strings separated by commas, as in ["a", "b"]`,
					"unexpected %s in a list", describe(t))
				continue
			case t.kind != tPunct && afterValue:
				r.report(rules.CodeSyntax, r.rangeOf(t), "separate the items of a list with commas", "missing , before %s", describe(t))
				synth(",", prev.end)
			}
		}
		if t.kind == tPunct {
			switch t.raw {
			case "{", "[":
				open = append(open, t)
				if len(open) > r.opts.MaxDepth+2 && tooDeep(t, "blocks", "conditions") {
					return nil, false
				}
			case "}", "]":
				if len(open) == 0 || (open[len(open)-1].raw == "[") != (t.raw == "]") {
					r.report(rules.CodeSyntax, r.rangeOf(t), fmt.Sprintf("remove it, or add the %s it should close", opener(t.raw)),
						"unmatched %s", t.raw)
					continue
				}
				open = open[:len(open)-1]
			}
		}
		out = append(out, t)
	}
	at := next
	if at == nil {
		end := toks[len(toks)-1].end
		at = &token{kind: tEOF, start: end, end: end}
	}
	for len(open) > 0 {
		if inList() {
			closeList(at)
			continue
		}
		o := open[len(open)-1]
		r.report(rules.CodeSyntax, r.rangeOf(at), fmt.Sprintf("close the block opened at %d:%d with }", o.start.Line, o.start.Column),
			"missing } before %s", describe(at))
		synth("}", at.start)
		open = open[:len(open)-1]
	}
	return out, true
}

func opener(closer string) string {
	if closer == "]" {
		return "["
	}
	return "{"
}

// unitEnd returns the index of the separator that ends the element that
// starts at toks[0], or of the "}" that closes the block it is in, or
// len(toks).
func unitEnd(toks []*token) int {
	d := 0
	for i, t := range toks {
		switch {
		case t.kind == tSep && d == 0:
			return i
		case t.kind == tPunct && (t.raw == "{" || t.raw == "["):
			d++
		case t.kind == tPunct && (t.raw == "}" || t.raw == "]"):
			if d == 0 {
				return i
			}
			d--
		}
	}
	return len(toks)
}

// describe names a token for a message.
func describe(t *token) string {
	switch t.kind {
	case tEOF:
		return "the end of the file"
	case tSep:
		if t.raw == ";" {
			return `";"`
		}
		return "the end of the line"
	case tString:
		return fmt.Sprintf("string %s", quote(t.val))
	case tText:
		return `""" block`
	}
	return fmt.Sprintf("%q", t.raw)
}
