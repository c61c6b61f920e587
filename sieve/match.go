package sieve

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/tamis-mss/tamis/rules"
)

var (
	foldClassesOnce sync.Once
	foldClasses     map[rune][]rune // folded form → every character folding to it, in order
)

// foldClass returns every character that tamis folds like r, r included,
// in code point order.
func foldClass(r rune) []rune {
	foldClassesOnce.Do(func() {
		foldClasses = map[rune][]rune{}
		for c := rune(0); c <= unicode.MaxRune; c++ {
			if c >= 0xD800 && c <= 0xDFFF {
				continue
			}
			if f := rules.FoldRune(c); f != c || unicode.IsUpper(c) || unicode.IsLower(c) {
				foldClasses[f] = append(foldClasses[f], c)
			}
		}
	})
	class := foldClasses[rules.FoldRune(r)]
	if len(class) == 0 {
		return []rune{r}
	}
	return class
}

// hasFoldVariants reports whether s holds a non-ASCII character that tamis
// folds together with another one (é and É), which i;ascii-casemap would
// not.
func hasFoldVariants(s string) bool {
	for _, r := range s {
		if r >= utf8.RuneSelf && len(foldClass(r)) > 1 {
			return true
		}
	}
	return false
}

// posixSpecial are the characters a POSIX extended regular expression
// gives a meaning to.
const posixSpecial = `\.[]()*+?{}|^$`

// foldRegex rewrites a case-insensitive is/contains/matches key (kind) as a
// POSIX extended regular expression, for Sieve's :regex with the i;octet
// comparator, that matches exactly what tamis's folded comparison matches:
// each letter becomes the alternation of its case variants, written as
// whole characters so that the byte-wise POSIX matcher reads them right.
// Matches keys must have no "?" (see keys).
func foldRegex(key string, kind rules.MatchKind) string {
	var b strings.Builder
	if kind == rules.Is || kind == rules.Matches {
		b.WriteByte('^')
	}
	escaped := false
	for _, r := range key {
		if kind == rules.Matches && !escaped {
			if r == '\\' {
				escaped = true
				continue
			}
			if r == '*' {
				b.WriteString(".*")
				continue
			}
		}
		escaped = false
		class := foldClass(r)
		if len(class) == 1 {
			writePosixLiteral(&b, r)
			continue
		}
		b.WriteByte('(')
		for i, c := range class {
			if i > 0 {
				b.WriteByte('|')
			}
			writePosixLiteral(&b, c)
		}
		b.WriteByte(')')
	}
	if escaped {
		writePosixLiteral(&b, '\\')
	}
	if kind == rules.Is || kind == rules.Matches {
		b.WriteByte('$')
	}
	return b.String()
}

func writePosixLiteral(b *strings.Builder, r rune) {
	if strings.ContainsRune(posixSpecial, r) {
		b.WriteByte('\\')
	}
	b.WriteRune(r)
}

// portableRegex checks that expr is read the same way by RE2 (tamis, which
// matches characters) and by POSIX extended regular expressions
// (Pigeonhole, which matches bytes, and whose "." also matches a line
// break). It accepts a conservative common subset: literal characters
// (non-ASCII ones unquantified), escaped special characters, ".*" and ".+",
// bracket classes of ASCII characters (negated ones only under * or +), groups,
// alternation, the quantifiers * + ? {n,m}, and the anchors ^ and $. In
// body tests, where values hold line breaks, "." is refused.
func portableRegex(expr string, body bool) error {
	prevAtom := false // the previous element can take a quantifier
	for i := 0; i < len(expr); {
		c := expr[i]
		switch {
		case c >= utf8.RuneSelf:
			_, n := utf8.DecodeRuneInString(expr[i:])
			if i+n < len(expr) && strings.IndexByte("*+?{", expr[i+n]) >= 0 {
				return errors.New("a quantifier on a non-ASCII character applies to its last byte in POSIX")
			}
			i += n
			prevAtom = true
			continue
		case c == '\\':
			if i+1 >= len(expr) {
				return errors.New("a trailing backslash")
			}
			if !strings.ContainsRune(posixSpecial+"/-", rune(expr[i+1])) {
				return fmt.Errorf("the escape \\%c", expr[i+1])
			}
			i += 2
			prevAtom = true
			continue
		case c == '.':
			if body {
				return errors.New("\".\" matches a line break in POSIX but not in RE2")
			}
			if i+1 >= len(expr) || (expr[i+1] != '*' && expr[i+1] != '+') {
				return errors.New("a single \".\" is one byte in POSIX but one character in RE2; only \".*\" and \".+\" agree")
			}
			i++
			prevAtom = true
			continue
		case c == '[':
			end, err := bracketEnd(expr, i)
			if err != nil {
				return err
			}
			i = end
			prevAtom = true
			continue
		case c == '(':
			if i+1 < len(expr) && (expr[i+1] == '?' || expr[i+1] == ')' || expr[i+1] == '|') {
				return errors.New("a group that is empty or starts with \"?\" or \"|\"")
			}
			prevAtom = false
		case c == '|':
			if i == 0 || i+1 >= len(expr) || expr[i+1] == '|' || expr[i+1] == ')' || expr[i-1] == '(' {
				return errors.New("an empty alternative")
			}
			prevAtom = false
		case c == ')':
			prevAtom = true
		case c == '*' || c == '+' || c == '?':
			if !prevAtom {
				return fmt.Errorf("%q without anything to repeat", c)
			}
			if i+1 < len(expr) && strings.IndexByte("*+?{", expr[i+1]) >= 0 {
				return errors.New("a repeated quantifier (RE2's non-greedy forms are not POSIX)")
			}
			prevAtom = false
		case c == '{':
			end := strings.IndexByte(expr[i:], '}')
			if !prevAtom || end < 0 {
				return errors.New("a brace that is not a quantifier")
			}
			for _, d := range expr[i+1 : i+end] {
				if (d < '0' || d > '9') && d != ',' {
					return errors.New("a brace that is not a quantifier")
				}
			}
			i += end + 1
			if i < len(expr) && strings.IndexByte("*+?{", expr[i]) >= 0 {
				return errors.New("a repeated quantifier")
			}
			prevAtom = false
			continue
		case c == '^' || c == '$':
			prevAtom = false
		case c < ' ' || c == 0x7f:
			return errors.New("a control character")
		default:
			prevAtom = true
		}
		i++
	}
	return nil
}

// bracketEnd checks the bracket expression starting at expr[i] and returns
// the index just after it.
func bracketEnd(expr string, i int) (int, error) {
	j := i + 1
	negated := j < len(expr) && expr[j] == '^'
	if negated {
		j++
	}
	if j < len(expr) && expr[j] == ']' {
		return 0, errors.New("a class starting with \"]\"")
	}
	for j < len(expr) {
		c := expr[j]
		switch {
		case c == ']':
			// A negated class matches one byte of a character in POSIX but
			// a whole character in RE2; repeated with * or +, both match
			// the same runs, since the class is ASCII and UTF-8 never
			// hides an ASCII byte inside a character.
			if negated && (j+1 >= len(expr) || (expr[j+1] != '*' && expr[j+1] != '+')) {
				return 0, errors.New("a negated class, unless repeated with * or +, matches one byte of a character in POSIX but a whole character in RE2")
			}
			return j + 1, nil
		case c == '\\':
			return 0, errors.New("a backslash in a class is literal in POSIX but an escape in RE2")
		case c >= utf8.RuneSelf:
			return 0, errors.New("a non-ASCII character in a class is several bytes in POSIX")
		case c == '[':
			if j+1 < len(expr) && (expr[j+1] == '.' || expr[j+1] == '=') {
				return 0, errors.New("a collating element in a class")
			}
			if j+1 < len(expr) && expr[j+1] == ':' {
				end := strings.Index(expr[j:], ":]")
				if end < 0 {
					return 0, errors.New("an unterminated character class name")
				}
				j += end + 2
				continue
			}
		}
		j++
	}
	return 0, errors.New("an unterminated class")
}
