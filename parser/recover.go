package parser

import (
	"errors"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/tamis-mss/tamis/rules"
)

// Recovery. participle stops at the first mistake of what it parses and,
// in a repetition, reports it where the element that failed begins. So
// the elements of a statement that does not parse are parsed one at a
// time, with the production of their place (an item of a rule, a
// condition of all or any), and so on down into those that fail. Where a
// mistake lies in an element itself, not in a block of it, it is reported
// (diagnose.go) and the element is dropped, or only its span when it is a
// during list; then the statement, without what was dropped, is parsed
// again and lowered. Every mistake is reported, the rest of the statement
// is still read and checked, and each token is parsed a bounded number of
// times. Past opts.MaxDiagnostics mistakes found this way, which Parse
// would not show, a statement with a mistake is dropped at once.

// maxDrops bounds the parts dropped from one element (the spans of a
// during list) before it goes as a whole: each drop parses it again.
const maxDrops = 8

// place is where an element stands.
type place int

const (
	placeTop place = iota
	placeItem
	placeCond
)

// top reads one top-level element: a rule, an absence block, or a line
// such as mailbox.
func (r *reader) top(toks []*token) {
	node, err := parse(topParser, toks)
	r.lost = r.lost[:0]
	if err != nil {
		if toks = r.repair(toks, err, placeTop, toks[0].raw); toks == nil {
			return
		}
		if node, err = parse(topParser, toks); err != nil {
			return
		}
	}
	r.cur = toks
	r.lowerTop(node)
}

// repair reports the mistakes of the element toks of place pl, whose parse
// failed with err, and returns it without what is wrong, or nil when it
// goes as a whole. kind is the keyword of the statement.
func (r *reader) repair(toks []*token, err error, pl place, kind string) []*token {
	for drops := 0; err != nil; drops++ {
		e := errIndex(err, toks)
		if r.opts.MaxDiagnostics > 0 && r.recovered >= r.opts.MaxDiagnostics || drops == maxDrops {
			at := toks[min(e, len(toks)-1)]
			r.report(rules.CodeSyntax, r.rangeOf(at), "correct the mistakes reported before", "unexpected %s", describe(at))
			return nil
		}
		o := outerBlock(toks, e)
		fixed := false
		if o >= 0 {
			toks, fixed = r.repairBlock(toks, o, pl, kind)
		}
		if !fixed {
			from, to := r.diagnose(toks, e, err, pl, kind)
			if from == 0 && to == len(toks) {
				return nil
			}
			toks = append(toks[:from:from], toks[to:]...)
		}
		err = parseIn(pl, toks)
	}
	return toks
}

// repairBlock repairs every element of the block of toks opened at index
// o, and tells whether one of them had a mistake.
func (r *reader) repairBlock(toks []*token, o int, pl place, kind string) ([]*token, bool) {
	inner := placeCond
	if pl == placeTop {
		inner = placeItem
	}
	end := closing(toks, o)
	out := append(make([]*token, 0, len(toks)), toks[:o+1]...)
	fixed := false
	for s := o + 1; s < end; {
		t := s + unitEnd(toks[s:end]) // a separator, or the closing brace
		elem := toks[s:t]
		if err := parseIn(inner, elem); err != nil && len(elem) > 0 {
			fixed = true
			if lost := elem; inner == placeItem {
				if elem = r.repair(elem, err, inner, kind); elem == nil {
					r.lost = append(r.lost, lost)
				}
			} else {
				elem = r.repair(elem, err, inner, kind)
			}
		}
		if len(elem) > 0 {
			out = append(out, elem...)
			if t < end {
				out = append(out, toks[t])
			}
		}
		s = t + 1
	}
	return append(out, toks[end:]...), fixed
}

// parse parses toks with the production of p.
func parse[P any](p *participle.Parser[P], toks []*token) (*P, error) {
	lex, err := lexer.Upgrade(&tokenLexer{toks: toks})
	if err != nil {
		return nil, err
	}
	return p.ParseFromLexer(lex)
}

// parseIn parses toks as an element of place pl.
func parseIn(pl place, toks []*token) error {
	var err error
	switch pl {
	case placeTop:
		_, err = parse(topParser, toks)
	case placeItem:
		_, err = parse(itemParser, toks)
	default:
		_, err = parse(condParser, toks)
	}
	return err
}

// errIndex is the index of the token where err stopped the parse of toks.
func errIndex(err error, toks []*token) int {
	var perr participle.Error
	if errors.As(err, &perr) {
		return min(max(perr.Position().Offset, 0), len(toks))
	}
	return 0
}

// outerBlock returns the index of the "{" of toks, at its own level,
// whose block holds index e, or -1.
func outerBlock(toks []*token, e int) int {
	depth, open := 0, -1
	for i := 0; i < e && i < len(toks); i++ {
		switch t := toks[i]; {
		case t.kind != tPunct:
		case t.raw == "{":
			if depth == 0 {
				open = i
			}
			depth++
		case t.raw == "}":
			depth--
		}
	}
	if depth <= 0 {
		return -1
	}
	return open
}

// dropSpan returns the part of the element toks to drop for a mistake at
// index e: the comma-separated part that holds e (a span of a during
// list), when there are several; else the whole element. The first part
// keeps the keywords that begin the element.
func dropSpan(toks []*token, e int) (from, to int) {
	var commas []int
	depth := 0
	for i, t := range toks {
		switch {
		case t.kind == tPunct && (t.raw == "{" || t.raw == "["):
			depth++
		case t.kind == tPunct && (t.raw == "}" || t.raw == "]"):
			depth--
		case t.kind == tPunct && t.raw == "," && depth == 0:
			commas = append(commas, i)
		}
	}
	if len(commas) == 0 {
		return 0, len(toks)
	}
	if e < commas[0] {
		for from < e && toks[from].kind == tWord && isKeyword(toks[from].raw) {
			from++
		}
		return from, commas[0] + 1
	}
	// A later part goes with the comma before it.
	for i, c := range commas {
		if i+1 == len(commas) || commas[i+1] >= e {
			next := len(toks)
			if i+1 < len(commas) {
				next = commas[i+1]
			}
			return c, next
		}
	}
	return 0, len(toks)
}
