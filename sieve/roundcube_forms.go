package sieve

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tamis-mss/tamis/rules"
)

// The export writes what Roundcube's own serializer writes where Sieve
// offers two spellings of one meaning, so that Roundcube's forms read an
// exported script back into the fields they wrote: sizes with their K/M/G
// suffix, fileinto :copy, and the keys Import turned into regular
// expressions given back as the is/contains/matches keys they came from.

// sizeNumber writes a size limit with the largest of Sieve's K, M and G
// suffixes that divides it (RFC 5228 §2.4.1), as Roundcube's size field
// does.
func sizeNumber(n int64) string {
	for _, u := range []struct {
		suffix string
		size   int64
	}{{"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}} {
		if n > 0 && n%u.size == 0 {
			return strconv.FormatInt(n/u.size, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}

// fileintoCopy reports whether a and next are the "file into" and "keep"
// that Import made of one "fileinto :copy": same source range.
func fileintoCopy(a, next rules.Action) bool {
	f, ok := a.(*rules.FileInto)
	k, ok2 := next.(*rules.Keep)
	return ok && ok2 && f.Range.Start.Line > 0 && f.Range == k.Range
}

// asciiFoldedKeys recognises the case-sensitive regular expressions Import
// writes for is/contains/matches keys compared with i;ascii-casemap (see
// sieveKeyRegex) and returns the match type and keys they came from, so
// that Export writes the Sieve test Roundcube wrote. Every key must give
// back exactly its expression through sieveKeyRegex, so the result has the
// same meaning.
func asciiFoldedKeys(m rules.Match, body bool) (rules.MatchKind, []string, bool) {
	if m.Kind != rules.Regex || !m.CaseSensitive || len(m.Keys) == 0 {
		return 0, nil, false
	}
	var kind rules.MatchKind
	keys := make([]string, 0, len(m.Keys))
	for i, k := range m.Keys {
		kd, key, ok := unfoldKey(k.Value, body)
		if !ok || (i > 0 && kd != kind) {
			return 0, nil, false
		}
		if re, err := sieveKeyRegex(key, kd, true, body); err != nil || re != k.Value {
			return 0, nil, false
		}
		kind = kd
		keys = append(keys, key)
	}
	return kind, keys, true
}

// unfoldKey reads an expression written by sieveKeyRegex back into its key.
func unfoldKey(re string, body bool) (rules.MatchKind, string, bool) {
	kind := rules.Contains
	if strings.HasPrefix(re, "^") && strings.HasSuffix(re, "$") && len(re) >= 2 {
		kind, re = rules.Is, re[1:len(re)-1]
	}
	star := ".*"
	if body {
		star = "(?s:.*)"
	}
	var b strings.Builder
	for i := 0; i < len(re); {
		switch {
		case kind != rules.Contains && strings.HasPrefix(re[i:], star):
			kind = rules.Matches
			b.WriteByte('*')
			i += len(star)
		case len(re)-i >= 4 && re[i] == '[' && re[i+3] == ']' && re[i+1]^0x20 == re[i+2] && isASCIILetter(re[i+1]):
			b.WriteByte(re[i+1])
			i += 4
		case re[i] == '\\' && i+1 < len(re):
			b.WriteByte(re[i+1])
			i += 2
		default:
			r, n := utf8.DecodeRuneInString(re[i:])
			if r < utf8.RuneSelf && (isASCIILetter(byte(r)) || regexp.QuoteMeta(string(r)) != string(r)) {
				return 0, "", false // an unfolded letter or a bare metacharacter
			}
			b.WriteString(re[i : i+n])
			i += n
		}
	}
	key := b.String()
	if kind == rules.Matches {
		// Literal "*", "?" and "\" of a matches key are escaped.
		var k strings.Builder
		parts := strings.Split(re, star)
		for j, p := range parts {
			if j > 0 {
				k.WriteByte('*')
			}
			_, lit, ok := unfoldKey(p, body)
			if !ok {
				return 0, "", false
			}
			k.WriteString(strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`).Replace(lit))
		}
		key = k.String()
	}
	return kind, key, true
}

func isASCIILetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }
