package sieve

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/tamis-mss/tamis/rules"
)

// subaddressRegex writes a :user or :detail key (RFC 5233) of match type
// kind as a regular expression on the local part, "+" the separator: the
// user is the local part before the first "+" (all of it when there is
// none), the detail what follows it (absent when there is none). With
// fold, ASCII letters match both cases (the letter as written first, so
// that unfoldSubaddress gives the key back). never is set for a :user key
// holding "+", which no user part holds. A matches key must hold no "?".
func subaddressRegex(sub string, kind rules.MatchKind, fold bool, key string) (re string, never bool) {
	var body strings.Builder
	for i := 0; i < len(key); {
		c := key[i]
		switch {
		case kind == rules.Matches && c == '*':
			if sub == "user" {
				body.WriteString(`[^+]*`)
			} else {
				body.WriteString(`.*`)
			}
			i++
			continue
		case kind == rules.Matches && c == '\\' && i+1 < len(key):
			i++
			c = key[i]
		}
		if c == '+' && sub == "user" {
			never = true
		}
		r, size := utf8.DecodeRuneInString(key[i:])
		i += size
		if fold && r < utf8.RuneSelf && isASCIILetter(byte(r)) {
			fmt.Fprintf(&body, "[%c%c]", r, r^0x20)
		} else {
			body.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	switch {
	case sub == "user" && kind == rules.Contains:
		return `^[^+]*` + body.String(), never
	case sub == "user":
		return `^` + body.String() + `(\+.*)?$`, never
	case kind == rules.Contains:
		return `^[^+]*\+.*` + body.String(), never
	default:
		return `^[^+]*\+` + body.String() + `$`, never
	}
}

// unfoldSubaddress recognises the expressions subaddressRegex writes with
// fold and gives back the part ("user" or "detail"), the match type and the
// keys, so that Export writes the :user or :detail test Roundcube wrote.
// Every key must give back exactly its expression.
func unfoldSubaddress(m rules.Match) (sub string, kind rules.MatchKind, keys []string, ok bool) {
	if m.Kind != rules.Regex || !m.CaseSensitive || len(m.Keys) == 0 {
		return "", 0, nil, false
	}
	for _, s := range []string{"user", "detail"} {
		for _, k := range []rules.MatchKind{rules.Is, rules.Contains, rules.Matches} {
			keys = keys[:0]
			for _, lit := range m.Keys {
				key, good := subaddressKey(s, k, lit.Value)
				if re, never := subaddressRegex(s, k, true, key); !good || never || re != lit.Value {
					break
				}
				keys = append(keys, key)
			}
			if len(keys) == len(m.Keys) {
				return s, k, keys, true
			}
		}
	}
	return "", 0, nil, false
}

// subaddressKey reads the key back from an expression of subaddressRegex
// for the part sub and match type kind; the caller checks the result.
func subaddressKey(sub string, kind rules.MatchKind, re string) (string, bool) {
	var prefix, suffix, star string
	switch {
	case sub == "user" && kind == rules.Contains:
		prefix = `^[^+]*`
	case sub == "user":
		prefix, suffix, star = `^`, `(\+.*)?$`, `[^+]*`
	case kind == rules.Contains:
		prefix = `^[^+]*\+.*`
	default:
		prefix, suffix, star = `^[^+]*\+`, `$`, `.*`
	}
	if !strings.HasPrefix(re, prefix) || !strings.HasSuffix(re, suffix) || len(re) < len(prefix)+len(suffix) {
		return "", false
	}
	body := re[len(prefix) : len(re)-len(suffix)]
	var b strings.Builder
	for i := 0; i < len(body); {
		switch {
		case kind == rules.Matches && strings.HasPrefix(body[i:], star):
			b.WriteByte('*')
			i += len(star)
		case len(body)-i >= 4 && body[i] == '[' && body[i+3] == ']' && body[i+1]^0x20 == body[i+2] && isASCIILetter(body[i+1]):
			b.WriteString(matchesEscape(kind, body[i+1:i+2]))
			i += 4
		case body[i] == '\\' && i+1 < len(body):
			b.WriteString(matchesEscape(kind, body[i+1:i+2]))
			i += 2
		default:
			_, n := utf8.DecodeRuneInString(body[i:])
			b.WriteString(matchesEscape(kind, body[i:i+n]))
			i += n
		}
	}
	return b.String(), true
}

// matchesEscape escapes the wildcards and backslash of a literal character
// in a matches key.
func matchesEscape(kind rules.MatchKind, s string) string {
	if kind == rules.Matches && (s == "*" || s == "?" || s == `\`) {
		return `\` + s
	}
	return s
}
