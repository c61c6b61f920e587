package sieve

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/rules"
)

// sieveGlob is a reference for Sieve's :matches as Pigeonhole runs it:
// octet by octet, "*" any run of octets, "?" one octet, "\" quoting; with
// fold, ASCII letters compare without case (i;ascii-casemap).
func sieveGlob(pattern, value string, fold bool) bool {
	lower := func(c byte) byte {
		if fold && 'A' <= c && c <= 'Z' {
			return c + 'a' - 'A'
		}
		return c
	}
	var match func(p, v int) bool
	match = func(p, v int) bool {
		for p < len(pattern) {
			switch c := pattern[p]; c {
			case '*':
				for i := v; i <= len(value); i++ {
					if match(p+1, i) {
						return true
					}
				}
				return false
			case '?':
				if v >= len(value) {
					return false
				}
				p, v = p+1, v+1
			default:
				if c == '\\' && p+1 < len(pattern) {
					p++
					c = pattern[p]
				}
				if v >= len(value) || lower(value[v]) != lower(c) {
					return false
				}
				p, v = p+1, v+1
			}
		}
		return v == len(value)
	}
	return match(0, 0)
}

// TestSieveKeyRegexIsExact compares the RE2 rewriting of Sieve keys with a
// byte-wise reference of Sieve's comparison on random values mixing
// characters of 1 to 4 octets and both cases.
func TestSieveKeyRegexIsExact(t *testing.T) {
	alphabet := []string{"a", "A", "t", "T", "é", "É", "€", "😀", " ", "*", "?", "\\"}
	keys := []struct {
		key  string
		kind rules.MatchKind
	}{
		{"été", rules.Contains}, {"Été", rules.Is}, {"RE: ?", rules.Matches}, {"a?t", rules.Matches},
		{"*??*", rules.Matches}, {"?*", rules.Matches}, {"é*?", rules.Matches}, {"a\\?t", rules.Matches},
		{"????", rules.Matches}, {"*é?", rules.Matches},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, k := range keys {
		for _, fold := range []bool{true, false} {
			expr, err := sieveKeyRegex(k.key, k.kind, fold, false)
			require.NoError(t, err)
			re := regexp.MustCompile(expr)
			for range 3000 {
				var b strings.Builder
				for range rng.IntN(7) {
					b.WriteString(alphabet[rng.IntN(len(alphabet))])
				}
				v := b.String()
				var want bool
				switch k.kind {
				case rules.Is:
					want = sieveGlob(globQuote(k.key), v, fold)
				case rules.Contains:
					want = sieveGlob("*"+globQuote(k.key)+"*", v, fold)
				default:
					want = sieveGlob(k.key, v, fold)
				}
				require.Equal(t, want, re.MatchString(v), "key %q (%v, fold %v) value %q regex %s", k.key, k.kind, fold, v, expr)
			}
		}
	}
}

func globQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`)
	return r.Replace(s)
}

// TestFoldRegexIsExact compares the POSIX rewriting of case-insensitive
// non-ASCII keys (read here by RE2, which agrees on this subset) with
// tamis's folding on random values.
func TestFoldRegexIsExact(t *testing.T) {
	alphabet := []string{"e", "E", "é", "É", "k", "K", "\u212a", "s", "S", "ſ", "i", "I", "İ", "ı", "t", "x", "*"}
	fold := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			b.WriteRune(rules.FoldRune(r))
		}
		return b.String()
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, k := range []struct {
		key  string
		kind rules.MatchKind
	}{{"été", rules.Contains}, {"ÉKsi", rules.Is}, {"*éS*", rules.Matches}, {"É*t", rules.Matches}} {
		expr := foldRegex(k.key, k.kind)
		require.NoError(t, portableRegex(expr, false), expr)
		re := regexp.MustCompile(expr)
		for range 3000 {
			var b strings.Builder
			for range rng.IntN(6) {
				b.WriteString(alphabet[rng.IntN(len(alphabet))])
			}
			v := b.String()
			var want bool
			switch k.kind {
			case rules.Is:
				want = fold(v) == fold(k.key)
			case rules.Contains:
				want = strings.Contains(fold(v), fold(k.key))
			default:
				want = globRunes(fold(k.key), fold(v))
			}
			require.Equal(t, want, re.MatchString(v), "key %q value %q regex %s", k.key, v, expr)
		}
	}
}

// globRunes is tamis's matches on characters ("*" only, no escapes).
func globRunes(pattern, value string) bool {
	p, v := []rune(pattern), []rune(value)
	var match func(i, j int) bool
	match = func(i, j int) bool {
		if i == len(p) {
			return j == len(v)
		}
		if p[i] == '*' {
			for k := j; k <= len(v); k++ {
				if match(i+1, k) {
					return true
				}
			}
			return false
		}
		return j < len(v) && p[i] == v[j] && match(i+1, j+1)
	}
	return match(0, 0)
}

func TestPortableRegex(t *testing.T) {
	for _, ok := range []string{`^\[(FIN|Fin)\]`, `a.*b`, `x.+`, `[0-9]{5}-[0-9]$`, `(é|É)t`, `[[:alpha:]]+`, `a|b`, `^[^+]*\+x`} {
		require.NoError(t, portableRegex(ok, false), ok)
	}
	for _, bad := range []string{`\d`, `a.b`, `[^a]`, `[\]]`, `é*`, `(?i)a`, `a*?`, `(|a)`, `a|`, `[é]`, "\x01"} {
		require.Error(t, portableRegex(bad, false), bad)
	}
	require.Error(t, portableRegex(`.*x`, true), "dot in body")
}
