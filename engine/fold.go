package engine

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tamis-mss/tamis/rules"
)

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// foldString returns s case-folded; invalid UTF-8 becomes U+FFFD, as the
// comparison functions decode it.
func foldString(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return string(appendFold(make([]byte, 0, len(s)), s))
		}
	}
	return s // lower-case ASCII folds to itself: no copy
}

// appendFold appends s case-folded to b. Runs of ASCII are lowered in
// place after one growth of b; other characters are folded one by one.
func appendFold(b []byte, s string) []byte {
	b = slices.Grow(b, len(s))
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] < utf8.RuneSelf {
			j++
		}
		if j > i {
			n := len(b)
			b = append(b, s[i:j]...)
			for k, c := range b[n:] {
				if 'A' <= c && c <= 'Z' {
					b[n+k] = c + 'a' - 'A'
				}
			}
			if i = j; i == len(s) {
				break
			}
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		b = utf8.AppendRune(b, rules.FoldRune(r))
		i += n
	}
	return b
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// equalFold reports whether v, folded, equals fk, an already folded key.
// It does not allocate.
func equalFold(v, fk string) bool {
	n, ok := prefixFold(v, fk)
	return ok && n == len(v)
}

// prefixFold reports whether v starts with text that folds to fk, and the
// length in bytes of that text in v.
func prefixFold(v, fk string) (int, bool) {
	i, j := 0, 0
	for j < len(fk) {
		if i >= len(v) {
			return 0, false
		}
		vc, kc := v[i], fk[j]
		if vc < utf8.RuneSelf && kc < utf8.RuneSelf {
			if lowerASCII(vc) != kc {
				return 0, false
			}
			i++
			j++
			continue
		}
		vr, vn := utf8.DecodeRuneInString(v[i:])
		kr, kn := utf8.DecodeRuneInString(fk[j:])
		if rules.FoldRune(vr) != kr {
			return 0, false
		}
		i += vn
		j += kn
	}
	return i, true
}

// containsFold reports whether v contains text that folds to fk.
func containsFold(v, fk string) bool {
	if fk == "" {
		return true
	}
	if isASCII(v) {
		// ASCII folds to ASCII: a key with another character cannot match.
		return isASCII(fk) && containsASCIIFold(v, fk)
	}
	for i := 0; i < len(v); {
		if _, ok := prefixFold(v[i:], fk); ok {
			return true
		}
		_, n := utf8.DecodeRuneInString(v[i:])
		i += n
	}
	return false
}

// containsASCIIFold is containsFold for ASCII text: fk is lower case.
func containsASCIIFold(v, fk string) bool {
	first := fk[0]
	upper := first
	if 'a' <= first && first <= 'z' {
		upper = first - ('a' - 'A')
	}
	for i := 0; i+len(fk) <= len(v); i++ {
		c := v[i]
		if c != first && c != upper {
			continue
		}
		j := 1
		for j < len(fk) && lowerASCII(v[i+j]) == fk[j] {
			j++
		}
		if j == len(fk) {
			return true
		}
	}
	return false
}

// hasPrefixASCIIFold reports whether s starts with prefix, ignoring ASCII
// case; prefix is lower case.
func hasPrefixASCIIFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lowerASCII(s[i]) != prefix[i] {
			return false
		}
	}
	return true
}

// trimSpace is strings.TrimSpace, named for readability at call sites.
func trimSpace(s string) string { return strings.TrimSpace(s) }
