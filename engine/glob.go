package engine

import (
	"unicode/utf8"

	"github.com/tamis-mss/tamis/rules"
)

// globOp is one element of a compiled glob.
type globOp struct {
	kind byte // globLiteral, globAny (*), globOne (?)
	r    rune // the literal character, folded when the glob folds
}

const (
	globLiteral byte = iota
	globAny
	globOne
)

// glob is a compiled "matches" key: "*" matches any run of characters, "?"
// exactly one, and "\" makes the next character literal. Characters are
// Unicode code points, as in Sieve's :matches.
type glob []globOp

// compileGlob compiles pattern; with fold, literal characters are folded
// so that matching folds the value's characters only.
func compileGlob(pattern string, fold bool) glob {
	g := make(glob, 0, len(pattern))
	escaped := false
	for _, r := range pattern {
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
			continue
		case r == '*':
			if len(g) > 0 && g[len(g)-1].kind == globAny {
				continue // "**" is "*"
			}
			g = append(g, globOp{kind: globAny})
			continue
		case r == '?':
			g = append(g, globOp{kind: globOne})
			continue
		}
		if fold {
			r = rules.FoldRune(r)
		}
		g = append(g, globOp{kind: globLiteral, r: r})
	}
	if escaped { // a trailing backslash stands for itself
		g = append(g, globOp{kind: globLiteral, r: '\\'})
	}
	return g
}

// match reports whether the whole of v matches g. It backtracks to the
// last "*" only, which is enough for globs, and does not allocate.
func (g glob) match(v string, fold bool) bool {
	ok, _ := g.matchWithin(v, fold, -1)
	return ok
}

// matchWithin is match reading at most limit bytes of v, backtracking
// included (a negative limit means no limit); used is what it read, at
// least 1. When the limit is reached it answers false with used >= limit.
func (g glob) matchWithin(v string, fold bool, limit int64) (ok bool, used int64) {
	gi, vi := 0, 0
	star, starV := -1, 0
	used = 1
	for vi < len(v) {
		if used++; used == limit {
			return false, used
		}
		if gi < len(g) {
			switch op := g[gi]; op.kind {
			case globAny:
				star, starV = gi, vi
				gi++
				continue
			case globOne:
				_, n := utf8.DecodeRuneInString(v[vi:])
				vi += n
				gi++
				continue
			default:
				r, n := rune(v[vi]), 1
				if r >= utf8.RuneSelf {
					r, n = utf8.DecodeRuneInString(v[vi:])
				}
				if fold {
					r = rules.FoldRune(r)
				}
				if r == op.r {
					vi += n
					gi++
					continue
				}
			}
		}
		if star < 0 {
			return false, used
		}
		// Let the last "*" absorb one more character and retry.
		_, n := utf8.DecodeRuneInString(v[starV:])
		starV += n
		gi, vi = star+1, starV
	}
	for gi < len(g) && g[gi].kind == globAny {
		gi++
	}
	return gi == len(g), used
}
