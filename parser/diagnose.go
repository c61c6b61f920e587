package parser

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/tamis-mss/tamis/rules"
)

// Diagnosis: turning participle's "unexpected token X (expected …)" into a
// diagnostic a person can act on. What the grammar would accept at the
// mistake is learnt by probing: every literal of the grammar and one token
// of each type are put in place of the offending token, and those with
// which the parse gets further are the expected ones. The messages name
// them with the tables of hints.go.

// diagnose reports the mistake at index e of the element toks of place pl,
// whose parse failed with err (kind is the keyword of the statement), and
// returns the part of toks to drop.
func (r *reader) diagnose(toks []*token, e int, err error, pl place, kind string) (from, to int) {
	r.recovered++
	if e == 0 {
		r.elementStart(toks, pl, kind)
		return 0, len(toks)
	}
	found := &token{kind: tEOF, start: toks[e-1].end, end: toks[e-1].end}
	if e < len(toks) {
		found = toks[e]
	}
	prev := toks[e-1]
	// The keyword of the innermost form: "when not from is" is about from.
	k := 0
	for k+1 < e && (toks[k].raw == "when" || toks[k].raw == "not") {
		k++
	}
	kw := toks[k].raw
	hint := usageHint(kw, pl, k)
	switch {
	case pl == placeItem && condKeywords[toks[0].raw] && (len(toks) > 1 && toks[1].kind == tWord || parseIn(placeCond, toks) == nil):
		// from is, subject contains: a condition, without when.
		r.needWhen(toks[0])
		return 0, len(toks)
	case e < len(toks) && (prev.raw == "when" || prev.raw == "not") && prev.kind == tWord:
		// A condition begins at e.
		r.elementStart(toks[e:], placeCond, kind)
		return 0, len(toks)
	}
	from, to = dropSpan(toks, e)
	if pl == placeTop {
		from, to = 0, len(toks)
	}
	// What the grammar accepts at e is learnt when a message needs it.
	var x *expectation
	exp := func() expectation {
		if x == nil {
			probed := probe(toks, e, pl)
			probed.remove(found)
			x = &probed
		}
		return *x
	}
	complete := parseIn(pl, toks[:e]) == nil // the element may end before the mistake
	if digits := prev.raw[:skipDigits(prev.raw, 0)]; prev.kind == tNumber && digits != prev.raw && exp().hasAll(wordClasses[0].words) {
		// every 7days: the unit is glued to the number.
		r.report(rules.CodeInvalidValue, r.rangeOf(prev),
			fmt.Sprintf("put a space between the number and the unit: every %s %s", digits, unitWord(prev.raw[len(digits):])), "malformed number %s", prev.raw)
		return from, to
	}
	req := required(err, exp)
	valueSlot := e == k+1 || e == k+2 && (toks[k+1].raw == "to" || toks[k+1].raw == "into")
	header := pl == placeTop && (kw == "rule" || kw == "vacation") && e >= 2
	at := r.rangeOf(found)
	switch {
	case found.kind == tEOF && header:
		r.report(rules.CodeSyntax, rules.Range{File: r.file, Start: prev.end, End: prev.end},
			fmt.Sprintf(`write the %s's content in braces: %s %s { … }`, kw, kw, quote(toks[1].val)),
			"expected { after the %s's name", kw)
	case found.kind == tEOF:
		r.report(rules.CodeSyntax, rules.Range{File: r.file, Start: prev.end, End: prev.end}, hint,
			"expected %s after %s", req.describe(kw, valueSlot, prev), describePrev(prev))
	case found.raw == "{" && complete:
		r.report(rules.CodeSyntax, r.between(found, toks[closing(toks, e)]),
			fmt.Sprintf("%s takes no block", describe(toks[0])), "unexpected block")
	case found.raw == "{":
		r.report(rules.CodeSyntax, rules.Range{File: r.file, Start: found.start, End: found.start}, hint,
			"expected %s before {", req.describe(kw, valueSlot, prev))
	case found.kind == tWord && r.unknownWord(found, prev, exp(), header):
		// reported: a misspelt keyword, or a word of a class
	case complete || header:
		if found.kind == tString && prev.kind == tString && listKeywords[kw] && (kw != "subject" || toks[k+1].kind == tWord) {
			hint = `to give several values, write a list: ["a", "b"]`
		} else if kw == "mailbox" && found.kind == tString {
			hint = `a policy has one mailbox; give the other addresses with also ["…"]`
		} else if !header {
			hint = "put each element on its own line, or separate them with ;"
		}
		r.report(rules.CodeSyntax, r.between(found, toks[max(lastAtom(toks), e)]), hint, "unexpected %s after %s", describe(found), describePrev(prev))
	case inList(toks, e) && exp().has(tString):
		r.report(rules.CodeInvalidValue, at, fmt.Sprintf("write it in quotes: %s", quote(found.raw)), "list items are strings, not %s", describe(found))
	case len(req.words) == 1 && req.words[0] == "{":
		r.report(rules.CodeSyntax, at, hint, "expected { after %s, found %s", prev.raw, describe(found))
	default:
		if found.kind == tWord && exp().has(tString) {
			// reroute to secretariat: a value written without quotes.
			hint = fmt.Sprintf("write it in quotes: %s", quote(found.raw))
		}
		r.report(rules.CodeSyntax, at, hint, "expected %s, found %s", req.describe(kw, valueSlot, prev), describe(found))
	}
	return from, to
}

// unknownWord reports a word where other words were expected, when it is
// a misspelt keyword (did you mean) or a word of a class (units…), and
// tells whether it did.
func (r *reader) unknownWord(found, prev *token, exp expectation, header bool) bool {
	w := found.raw
	for _, c := range wordClasses {
		if exp.hasAll(c.words) {
			hint := c.hint
			// The author's own words first: "jours" is days, not hours.
			if h := cmp.Or(unitHint(w, prev.raw), matchHint(w)); h != "" && c.synonyms {
				hint = h
			} else if s := cmp.Or(suggest(w, c.suggest, false), suggest(w, exp.words, false)); s != "" {
				hint = fmt.Sprintf("did you mean %q?", s)
			}
			r.report(rules.CodeUnknownKeyword, r.rangeOf(found), hint, c.unknown, w)
			return true
		}
	}
	if s := suggest(w, exp.words, false); s != "" {
		if phrase := prev.raw + " " + s; slices.Contains(concat(rulePhrases, condPhrases), phrase) {
			r.report(rules.CodeUnknownKeyword, r.rangeOf(found), fmt.Sprintf("did you mean %q?", phrase), "unknown keyword %q after %s", w, prev.raw)
		} else {
			r.report(rules.CodeUnknownKeyword, r.rangeOf(found), fmt.Sprintf("did you mean %q?", s), "unknown keyword %q", w)
		}
		return true
	}
	if header && prev.kind == tString {
		r.report(rules.CodeUnknownKeyword, r.rangeOf(found), `the only word allowed after the name is "disabled"`, "unknown keyword %q", w)
		return true
	}
	return false
}

// elementStart reports an element that begins with a token no form of its
// place begins with.
func (r *reader) elementStart(toks []*token, pl place, kind string) {
	first := toks[0]
	where, phrases := "at the top of a file", topPhrases
	switch {
	case pl == placeCond:
		where, phrases = "in a condition", condPhrases
	case pl == placeItem && kind == "vacation":
		where, phrases = "in an absence block", vacationPhrases
	case pl == placeItem:
		where, phrases = "in a rule", rulePhrases
	}
	block := kind
	if kind == "vacation" {
		block = "absence block"
	}
	switch w := first.raw; {
	case first.raw == "{":
		rng := r.between(first, toks[closing(toks, 0)])
		switch pl {
		case placeTop:
			r.report(rules.CodeSyntax, rng, `write rule "NAME" { … } or vacation "NAME" { … }`, "a block needs a keyword and a name before it")
		case placeItem:
			r.report(rules.CodeSyntax, rng, "use all { … } or any { … } after when to group conditions", "unexpected block")
		default:
			r.report(rules.CodeSyntax, rng, "write all { … } or any { … } to group conditions", "a block needs all or any before it")
		}
	case first.kind != tWord:
		r.report(rules.CodeSyntax, r.rangeOf(first), fmt.Sprintf("an element starts with a keyword, such as %s", strings.Join(phrases, ", ")),
			"expected a keyword, found %s", describe(first))
	case pl == placeTop && (itemKeywords[w] || condKeywords[w]):
		r.report(rules.CodeMisplaced, r.rangeOf(first), `put it in a block: rule "NAME" { … }`, "%s outside a rule or vacation block", w)
	case pl == placeItem && topKeywords[w]:
		r.report(rules.CodeMisplaced, r.rangeOf(first), "move it out of the block, to the top level of the file", "%s inside a %s", w, block)
	case pl == placeItem && condKeywords[w]:
		r.needWhen(first)
	default:
		var words []string
		for _, t := range toks[:min(3, len(toks))] {
			if t.kind != tWord {
				break
			}
			words = append(words, t.raw)
		}
		hint := fmt.Sprintf("expected %s", strings.Join(phrases, ", "))
		if h := synonymHint(w, pl, kind); h != "" {
			hint = h
		} else if s := suggestPhrase(words, phrases); s != "" {
			hint = fmt.Sprintf("did you mean %q?", s)
		}
		r.report(rules.CodeUnknownKeyword, r.rangeOf(first), hint, "unknown keyword %q %s", w, where)
	}
}

func (r *reader) needWhen(first *token) {
	r.report(rules.CodeSyntax, r.rangeOf(first), fmt.Sprintf("write when %s …", first.raw), "a condition must follow when")
}

// usageHint is the hint that shows the form kw begins, at index k of an
// element of place pl.
func usageHint(kw string, pl place, k int) string {
	if pl == placeItem && k == 0 && (kw == "from" || kw == "until") {
		kw = "window"
	}
	if u, ok := usage[kw]; ok {
		return fmt.Sprintf("write it as: %s", u)
	}
	return "see docs/LANGUAGE.md for the forms of the language"
}

// describePrev names the token before a mistake.
func describePrev(t *token) string {
	if t.raw == "]" {
		return "the list"
	}
	return describe(t)
}

// closing returns the index of the "}" that closes the "{" at index o
// (balance made sure there is one).
func closing(toks []*token, o int) int {
	depth := 0
	for i := o; i < len(toks); i++ {
		switch toks[i].raw {
		case "{":
			depth++
		case "}":
			if depth--; depth == 0 {
				return i
			}
		}
	}
	return len(toks) - 1
}

// lastAtom is the index of the last token of an element before its
// block.
func lastAtom(toks []*token) int {
	for i, t := range toks {
		if t.raw == "{" && t.kind == tPunct {
			return max(i-1, 0)
		}
	}
	return len(toks) - 1
}

// inList reports whether index e of toks is inside brackets.
func inList(toks []*token, e int) bool {
	depth := 0
	for _, t := range toks[:e] {
		switch t.raw {
		case "[":
			depth++
		case "]":
			depth--
		}
	}
	return depth > 0
}

// expectation is what the grammar accepts at a place: literals (keywords
// and punctuation) and token types.
type expectation struct {
	words []string
	kinds []tokKind
}

func (x expectation) has(k tokKind) bool { return slices.Contains(x.kinds, k) }

func (x expectation) hasAll(words []string) bool {
	for _, w := range words {
		if !slices.Contains(x.words, w) {
			return false
		}
	}
	return true
}

// remove takes the offending token out: with it the parse stopped a little
// further because of what follows, not of itself.
func (x *expectation) remove(t *token) {
	x.words = slices.DeleteFunc(x.words, func(w string) bool { return w == t.raw })
	if t.kind != tWord && t.kind != tPunct {
		x.kinds = slices.DeleteFunc(x.kinds, func(k tokKind) bool { return k == t.kind })
	}
}

// describe names the expectation in a message. kw is the keyword of the
// element, valueSlot whether the value right after it is expected.
func (x expectation) describe(kw string, valueSlot bool, prev *token) string {
	var parts []string
	words := x.words
	hasString := x.has(tString)
	if hasString {
		// A value is expected: the keywords that may stand instead
		// (sender is patient) are for the usage hint to show.
		words = nil
	}
	switch {
	case slices.Contains(words, "always"):
		parts = append(parts, "a condition")
	case len(words) == 1 && words[0] == "[":
		parts = append(parts, `a list after any (["a", "b"])`)
	case len(words) > 0:
		what := orList(words)
		for _, c := range wordClasses {
			if x.hasAll(c.words) {
				what = c.what // the class says it, the optional words before it aside
			}
		}
		if len(words) == 1 && slices.Contains(concat(rulePhrases, condPhrases), prev.raw+" "+words[0]) {
			what = quote(words[0])
		}
		parts = append(parts, what)
	}
	if hasString {
		what := tokenWhat[tString]
		if valueSlot && valueWhat[kw] != "" {
			what = valueWhat[kw]
		}
		parts = append(parts, what)
	}
	for _, k := range []tokKind{tNumber, tDate, tTime, tHours, tWord} {
		if x.has(k) {
			what := tokenWhat[k]
			if k == tNumber && valueWhat[kw] != "" {
				what = valueWhat[kw]
			}
			parts = append(parts, what)
		}
	}
	if len(parts) == 0 {
		return "the end of the element"
	}
	return orList(parts)
}

// orList joins "a", "b" and "c" as "a, b or c".
func orList(items []string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// required narrows the expectation to what participle says must come
// next, when it names one literal or token type: optional words before it
// ("until" after a date) are left out of the message. Else it is all the
// grammar accepts there.
func required(err error, exp func() expectation) expectation {
	msg := err.Error()
	i := strings.LastIndex(msg, "(expected ")
	if i < 0 {
		return exp()
	}
	first := msg[i+len("(expected "):]
	if j := strings.IndexAny(first, " )"); j >= 0 {
		first = first[:j]
	}
	switch {
	case strings.HasPrefix(first, `"`):
		return expectation{words: []string{strings.Trim(first, `"`)}}
	case strings.HasPrefix(first, "<"):
		name := strings.Trim(first, "<>")
		for k, n := range kindNames {
			if strings.EqualFold(n, name) {
				return expectation{kinds: []tokKind{tokKind(k)}}
			}
		}
	}
	return exp()
}

// probe learns what the grammar accepts at index e of the element toks of
// place pl. Past maxProbe tokens into an element it does not: each
// candidate parses the tokens before e again.
func probe(toks []*token, e int, pl place) expectation {
	var x expectation
	if e > maxProbe {
		return x
	}
	buf := make([]*token, e+1)
	copy(buf, toks[:e])
	for _, c := range candidates() {
		buf[e] = c
		err := parseIn(pl, buf)
		if err != nil && errIndex(err, buf) <= e {
			continue
		}
		if c.kind == tWord && isKeyword(c.raw) || c.kind == tPunct {
			x.words = append(x.words, c.raw)
		} else {
			x.kinds = append(x.kinds, c.kind)
		}
	}
	if x.has(tWord) {
		// Any word goes (the days of a span): keywords are no better.
		x.words = slices.DeleteFunc(x.words, isKeyword)
	}
	return x
}

const maxProbe = 64

// literals are the quoted words and punctuation of the grammar, in order.
var literals = sync.OnceValue(func() []string {
	var out []string
	for _, m := range regexp.MustCompile(`"([^"]+)"`).FindAllStringSubmatch(EBNF(), -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
})

// candidates are the tokens probe tries: every literal of the grammar,
// then one token of each type.
var candidates = sync.OnceValue(func() []*token {
	var out []*token
	for _, w := range literals() {
		kind := tPunct
		if isWordStart(rune(w[0])) {
			kind = tWord
		}
		out = append(out, &token{kind: kind, raw: w})
	}
	return append(out,
		&token{kind: tString, raw: `"x"`, val: "x"}, &token{kind: tNumber, raw: "1"}, &token{kind: tDate, raw: "2025-01-01"}, &token{kind: tTime, raw: "08:00"},
		&token{kind: tHours, raw: "08:00-09:00"}, &token{kind: tWord, raw: "mon"})
})

// isKeyword reports whether w is a word of the grammar.
func isKeyword(w string) bool {
	return w != "" && isWordStart(rune(w[0])) && slices.Contains(literals(), w)
}
