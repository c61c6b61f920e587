package engine

import (
	"regexp/syntax"
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/tamis-mss/tamis/rules"
)

// Regular expressions that only spell a word.
//
// "sieve import" turns a Sieve key compared with i;ascii-casemap, such as
// "résultats", into the case-sensitive regular expression "[Rr]ésultats"
// (Sieve folds ASCII letters only), and "sieve export" writes a tamis
// case-insensitive key as "(R|r)(É|é)(S|s|ſ)…" for Pigeonhole. Run by RE2,
// such keys made an imported policy about twice as slow as its hand-written
// twin (issue 15). A regular expression that is a sequence of
// single-character positions, optionally anchored at both ends, is
// compiled here instead: when every position accepts exactly the
// characters that fold to one character, it is the folded is or contains
// key it spells (and shares the per-message fold cache); otherwise it is
// matched position by position, character by character, as RE2 would.

// maxPosRunes bounds the characters one position of a literal regular
// expression may accept.
const maxPosRunes = 8

// literalRegex is a regular expression that is a sequence of positions,
// each accepting a few characters.
type literalRegex struct {
	begin, end bool     // anchored at the start (^, \A), at the end ($, \z)
	pos        [][]rune // the characters each position accepts
	first      []byte   // the first bytes of the characters of pos[0]; nil: any
}

// parseLiteralRegex recognizes a case-sensitive RE2 expression that is a
// literalRegex.
func parseLiteralRegex(expr string) (*literalRegex, bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, false
	}
	items := flatten(nil, re.Simplify())
	l := &literalRegex{}
	for i, it := range items {
		switch it.Op {
		case syntax.OpBeginText:
			if i != 0 {
				return nil, false
			}
			l.begin = true
		case syntax.OpEndText:
			if i != len(items)-1 {
				return nil, false
			}
			l.end = true
		case syntax.OpLiteral:
			for _, r := range it.Rune {
				set := []rune{r}
				if it.Flags&syntax.FoldCase != 0 {
					for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
						set = append(set, f)
					}
				}
				l.pos = append(l.pos, set)
			}
		case syntax.OpCharClass:
			var set []rune
			for j := 0; j+1 < len(it.Rune); j += 2 {
				if it.Rune[j+1]-it.Rune[j] >= maxPosRunes {
					return nil, false
				}
				for r := it.Rune[j]; r <= it.Rune[j+1]; r++ {
					set = append(set, r)
				}
			}
			if len(set) == 0 || len(set) > maxPosRunes {
				return nil, false
			}
			l.pos = append(l.pos, set)
		default:
			return nil, false
		}
	}
	if len(l.pos) == 0 {
		return nil, false
	}
	if !slices.Contains(l.pos[0], utf8.RuneError) { // an invalid byte reads as U+FFFD
		for _, r := range l.pos[0] {
			l.first = utf8.AppendRune(l.first, r)[:len(l.first)+1]
		}
	}
	return l, true
}

// flatten appends the items of re's concatenations, groups (captures)
// opened.
func flatten(items []*syntax.Regexp, re *syntax.Regexp) []*syntax.Regexp {
	switch re.Op {
	case syntax.OpCapture:
		return flatten(items, re.Sub[0])
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			items = flatten(items, sub)
		}
		return items
	}
	return append(items, re)
}

// foldedKey returns the folded key l spells when every position accepts
// exactly the characters that fold to one character: then l matches a
// value exactly when the folded value contains the key (or equals it, when
// l is anchored at both ends).
func (l *literalRegex) foldedKey() (string, bool) {
	if l.begin != l.end {
		return "", false
	}
	key := make([]byte, 0, len(l.pos))
	for _, set := range l.pos {
		f := rules.FoldRune(set[0])
		if rules.FoldRune(f) != f {
			return "", false // the matcher folds its keys again
		}
		pre := foldPreimage(f)
		if len(pre) != len(set) {
			return "", false
		}
		for _, r := range set {
			if !slices.Contains(pre, r) {
				return "", false
			}
		}
		key = utf8.AppendRune(key, f)
	}
	return string(key), true
}

// match reports whether the expression matches v, as RE2 would: on the
// characters of v, an invalid byte read as U+FFFD.
func (l *literalRegex) match(v string) bool {
	if l.begin {
		return l.matchAt(v)
	}
	for i := 0; i < len(v); {
		c := v[i]
		if (l.first == nil || slices.Contains(l.first, c)) && l.matchAt(v[i:]) {
			return true
		}
		if c < utf8.RuneSelf {
			i++
			continue
		}
		_, n := utf8.DecodeRuneInString(v[i:])
		i += n
	}
	return false
}

// matchAt reports whether the expression matches at the start of v.
func (l *literalRegex) matchAt(v string) bool {
	i := 0
	for _, set := range l.pos {
		if i >= len(v) {
			return false
		}
		r, n := rune(v[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(v[i:])
		}
		if !slices.Contains(set, r) {
			return false
		}
		i += n
	}
	return !l.end || i == len(v)
}

var (
	preimageOnce sync.Once
	preimages    map[rune][]rune // folded character → the others that fold to it
)

// foldPreimage returns every character that rules.FoldRune folds to f. A
// character without a case mapping folds to itself, so only those of
// unicode.CaseRanges need to be looked at.
func foldPreimage(f rune) []rune {
	preimageOnce.Do(func() {
		preimages = map[rune][]rune{}
		for _, cr := range unicode.CaseRanges {
			for r := rune(cr.Lo); r <= rune(cr.Hi); r++ {
				if g := rules.FoldRune(r); g != r {
					preimages[g] = append(preimages[g], r)
				}
			}
		}
	})
	out := slices.Clone(preimages[f])
	if rules.FoldRune(f) == f {
		out = append(out, f)
	}
	return out
}
