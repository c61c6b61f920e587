package engine

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"

	"github.com/tamis-mss/tamis/rules"
)

// manyKeys is the number of "is" keys from which a matcher looks values up
// in a set rather than comparing them with each key in turn.
const manyKeys = 8

// matcher is a compiled rules.Match: the match kind, the folding and the
// keys are decided once.
type matcher struct {
	kind rules.MatchKind
	fold bool
	keys []string // folded when fold
	// asciiKeys: every key is ASCII, so that a case-insensitive contains
	// on an ASCII value compares bytes (containsASCIIFold).
	asciiKeys bool
	set       map[string]struct{}
	*patterns // nil for is and contains, which most rules use
	// regexWeight is what reading one byte costs all of res together in
	// the evaluation budget: RE2 runs its program over the value, so an
	// expression counts one per regexInstsPerByte instructions (at least
	// one). A regex that spells a word (lits) reads the value once.
	regexWeight int64
}

// patterns are the compiled keys of matches and regex matches.
type patterns struct {
	globs []glob
	lits  []*literalRegex // regex keys that spell a word (regexlit.go)
	res   []*regexp.Regexp
	pre   []anchoredPrefix // per res: what a matching value starts with
}

// regexInstsPerByte is how many RE2 instructions count as one byte read
// in the evaluation budget.
const regexInstsPerByte = 1

// compileMatch compiles m; a regular expression RE2 refuses is reported
// through bad with the offending key.
func compileMatch(m rules.Match, bad func(key rules.Literal, err error)) *matcher {
	if c, ok := compileWordRegexes(m); ok {
		return c
	}
	c := &matcher{kind: m.Kind, fold: !m.CaseSensitive}
	if m.Kind == rules.Regex || m.Kind == rules.Matches {
		c.patterns = &patterns{}
	}
	for _, k := range m.Keys {
		key := k.Value
		switch m.Kind {
		case rules.Regex:
			expr := key
			if c.fold {
				expr = "(?i)" + expr
			} else if l, ok := parseLiteralRegex(expr); ok {
				c.lits = append(c.lits, l)
				c.regexWeight++
				continue
			}
			re, err := regexp.Compile(expr)
			if err != nil {
				bad(k, err)
				continue
			}
			c.res = append(c.res, re)
			c.pre = append(c.pre, regexPrefix(expr))
			c.regexWeight += max(1, int64(regexSize(key, c.fold)/regexInstsPerByte))
		case rules.Matches:
			c.globs = append(c.globs, compileGlob(key, c.fold))
		default:
			if c.fold {
				key = foldString(key)
			}
			c.keys = append(c.keys, key)
		}
	}
	c.asciiKeys = true
	for _, k := range c.keys {
		c.asciiKeys = c.asciiKeys && isASCII(k)
	}
	if m.Kind == rules.Is && len(c.keys) >= manyKeys {
		c.set = make(map[string]struct{}, len(c.keys))
		for _, k := range c.keys {
			c.set[k] = struct{}{}
		}
	}
	return c
}

// compileWordRegexes compiles a case-sensitive regex match whose keys all
// spell folded words (see literalRegex.foldedKey), all anchored at both
// ends or none, as the case-insensitive is or contains match it is.
func compileWordRegexes(m rules.Match) (*matcher, bool) {
	if m.Kind != rules.Regex || !m.CaseSensitive || len(m.Keys) == 0 {
		return nil, false
	}
	kind := rules.Contains
	keys := make([]rules.Literal, 0, len(m.Keys))
	for i, k := range m.Keys {
		l, ok := parseLiteralRegex(k.Value)
		if !ok {
			return nil, false
		}
		key, ok := l.foldedKey()
		if !ok {
			return nil, false
		}
		switch {
		case i == 0 && l.begin:
			kind = rules.Is
		case l.begin != (kind == rules.Is):
			return nil, false
		}
		keys = append(keys, rules.Literal{Value: key, Range: k.Range})
	}
	return compileMatch(rules.Match{Kind: kind, Keys: keys}, nil), true
}

// match reports whether v matches any key. scratch is a buffer the matcher
// may use to fold v; it does not allocate when v fits in it.
func (m *matcher) match(v string, scratch *[]byte) bool {
	switch m.kind {
	case rules.Is:
		if m.set != nil {
			if !m.fold {
				_, ok := m.set[v]
				return ok
			}
			b := appendFold((*scratch)[:0], v)
			*scratch = b
			_, ok := m.set[string(b)]
			return ok
		}
		for _, k := range m.keys {
			if m.fold && equalFold(v, k) || !m.fold && v == k {
				return true
			}
		}
	case rules.Contains:
		if m.fold && m.asciiKeys && isASCII(v) {
			// containsFold, without testing v again for each key.
			for _, k := range m.keys {
				if k == "" || containsASCIIFold(v, k) {
					return true
				}
			}
			return false
		}
		for _, k := range m.keys {
			if m.fold && containsFold(v, k) || !m.fold && strings.Contains(v, k) {
				return true
			}
		}
	case rules.Matches:
		for _, g := range m.globs {
			if g.match(v, m.fold) {
				return true
			}
		}
	case rules.Regex:
		for _, l := range m.lits {
			if l.match(v) {
				return true
			}
		}
		for i, re := range m.res {
			if m.pre[i].excludes(v) {
				continue
			}
			if re.MatchString(v) {
				return true
			}
		}
	}
	return false
}

// weight returns what reading one byte of a value costs m in the
// evaluation budget: one per key, or the weight of its regular
// expressions.
func (m *matcher) weight() int64 {
	return int64(len(m.keys)) + m.regexWeight
}

// globStepCost is what one step of a glob (one character read, backtracking
// included) costs in the evaluation budget: a step does more than a byte
// compared by "contains".
const globStepCost = 4

// matchGlobs matches v with the globs of m reading at most limit bytes in
// all; used is what they read (limit or more when the budget ran out).
func (m *matcher) matchGlobs(v string, limit int64) (ok bool, used int64) {
	for _, g := range m.globs {
		ok, n := g.matchWithin(v, m.fold, (limit-used)/globStepCost)
		used += n * globStepCost
		if ok || used >= limit {
			return ok, used
		}
	}
	return false, used
}

// anchoredPrefix is the ASCII text a regular expression anchored at the
// start of the value (^ or \A, not in multi-line mode) requires there, so
// that a value which does not start with it is refused without running
// RE2 (issue 15: most values of a typical policy's "^urgent" fail on their
// first bytes, for a tenth of the keep path in RE2's machinery). fold
// says, per byte, that the expression compares it without case. An
// expression that is not anchored, or does not start with an ASCII
// literal, has none.
type anchoredPrefix struct {
	text []byte
	fold []bool
}

// regexPrefix returns the anchoredPrefix of expr, in RE2's syntax.
func regexPrefix(expr string) anchoredPrefix {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return anchoredPrefix{}
	}
	re = re.Simplify()
	if re.Op != syntax.OpConcat || len(re.Sub) < 2 || re.Sub[0].Op != syntax.OpBeginText {
		return anchoredPrefix{}
	}
	var p anchoredPrefix
	for _, sub := range re.Sub[1:] {
		if sub.Op != syntax.OpLiteral {
			break
		}
		for _, r := range sub.Rune {
			if r >= utf8.RuneSelf {
				return p
			}
			p.text = append(p.text, byte(r))
			p.fold = append(p.fold, sub.Flags&syntax.FoldCase != 0)
		}
	}
	return p
}

// excludes reports whether v certainly does not match the expression of
// p: v does not start with p's text. A character of v that is not ASCII
// where the text is compared leaves the answer to RE2 (the Kelvin sign
// matches "k" without case, for instance): excludes is then false.
func (p anchoredPrefix) excludes(v string) bool {
	for i, want := range p.text {
		if i >= len(v) {
			// Every character of v so far was one ASCII byte matching
			// one byte of the text; a match needs at least one byte more.
			return true
		}
		c := v[i]
		if c >= utf8.RuneSelf {
			return false
		}
		if p.fold[i] {
			c, want = lowerASCII(c), lowerASCII(want)
		}
		if c != want {
			return true
		}
	}
	return false
}
