package parser

import (
	"errors"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// Recovery. participle stops at the first mistake of what it parses and,
// in a repetition, reports it where the element that failed begins. So a
// statement that does not parse is read again element by element: the
// element where participle stopped is parsed alone, with the production
// of its place (an item of a rule, a condition of all or any), down to the
// innermost element that fails; the mistake is reported there, that
// element (or the span of a during list) is dropped, and the statement is
// parsed again, until it parses. Every mistake is thus reported, and the
// rest of the statement is read and checked.

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
	if r.overLimit(toks[0]) {
		return
	}
	replyLost := false
	for {
		node, err := parse(topParser, toks)
		if err == nil {
			r.cur = toks
			r.lowerTop(node, replyLost)
			return
		}
		from, to := r.fail(toks, err, placeTop, toks[0].raw)
		if from == 0 && to >= len(toks) {
			return
		}
		replyLost = replyLost || toks[from].raw == "reply"
		toks = append(toks[:from:from], toks[to:]...)
	}
}

// parse parses toks with the production of p.
func parse[P any](p *participle.Parser[P], toks []*token) (*P, error) {
	lex, err := lexer.Upgrade(&tokenLexer{toks: toks})
	if err != nil {
		return nil, err
	}
	return p.ParseFromLexer(lex)
}

// parses reports whether toks parse with p.
func parses[P any](p *participle.Parser[P], toks []*token) bool {
	_, err := parse(p, toks)
	return err == nil
}

// parsesIn reports whether toks parse as an element of place pl.
func parsesIn(pl place, toks []*token) bool {
	switch pl {
	case placeTop:
		return parses(topParser, toks)
	case placeItem:
		return parses(itemParser, toks)
	}
	return parses(condParser, toks)
}

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

// fail reports the mistake of the element toks of place pl (kind is the
// keyword of the statement it belongs to), whose parse failed with err,
// and returns the part of toks to drop.
func (r *reader) fail(toks []*token, err error, pl place, kind string) (from, to int) {
	e := errIndex(err, toks)
	o, depth := innermostBlock(toks, e)
	if o < 0 {
		return r.diagnose(toks, e, err, pl, kind)
	}
	// The mistake lies in an element of the block opened at o: read it
	// alone.
	s, t := elementAround(toks, o, e)
	sub := toks[s:t]
	subPlace := placeCond
	if pl == placeTop && depth == 1 {
		subPlace = placeItem
	}
	if s == t {
		return r.diagnose(toks, e, err, pl, kind)
	}
	from, to = 0, len(sub)
	if subErr := parseIn(subPlace, sub); subErr != nil {
		from, to = r.fail(sub, subErr, subPlace, kind)
	} else {
		// Alone it parses (this should not happen): report where the
		// statement stopped.
		r.diagnose(sub, e-s, err, subPlace, kind)
	}
	if from == 0 && to == len(sub) {
		// The whole element goes, with a separator.
		switch {
		case t < len(toks) && toks[t].kind == tSep:
			t++
		case s > o+1 && toks[s-1].kind == tSep:
			s--
		}
		return s, t
	}
	return s + from, s + to
}

// innermostBlock returns the index of the innermost "{" of toks still open
// at index e, or -1, and the number of blocks open there.
func innermostBlock(toks []*token, e int) (int, int) {
	var open []int
	for i := 0; i < e && i < len(toks); i++ {
		if toks[i].kind != tPunct {
			continue
		}
		switch toks[i].raw {
		case "{":
			open = append(open, i)
		case "}":
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
		}
	}
	if len(open) == 0 {
		return -1, 0
	}
	return open[len(open)-1], len(open)
}

// elementAround returns the bounds of the element of the block opened at o
// that contains index e, or that ends at e when e is a separator or the
// closing brace.
func elementAround(toks []*token, o, e int) (s, t int) {
	depth := 0
	s = o + 1
	for i := o + 1; i < e; i++ {
		switch t := toks[i]; {
		case t.kind == tSep && depth == 0:
			s = i + 1
		case t.kind == tPunct && (t.raw == "{" || t.raw == "["):
			depth++
		case t.kind == tPunct && (t.raw == "}" || t.raw == "]"):
			depth--
		}
	}
	return s, e + unitEnd(toks[e:], 0)
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
