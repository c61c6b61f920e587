package engine

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tamis-mss/tamis/rules"
)

// asciiCasemapRegex writes key as "sieve import" does for i;ascii-casemap:
// ASCII letters as [Xx], the rest quoted.
func asciiCasemapRegex(key string) string {
	var b strings.Builder
	for _, r := range key {
		if r < utf8.RuneSelf && 'a' <= r|0x20 && r|0x20 <= 'z' {
			b.WriteString("[" + string(r&^0x20) + string(r|0x20) + "]")
			continue
		}
		b.WriteString(regexp.QuoteMeta(string(r)))
	}
	return b.String()
}

// foldRegex writes key as "sieve export" does for a case-insensitive
// tamis key: each character as the alternation of those that fold alike.
func foldRegex(key string) string {
	var b strings.Builder
	for _, r := range key {
		pre := foldPreimage(rules.FoldRune(r))
		if len(pre) < 2 {
			b.WriteString(regexp.QuoteMeta(string(r)))
			continue
		}
		b.WriteString("(")
		for i, p := range pre {
			if i > 0 {
				b.WriteString("|")
			}
			b.WriteString(regexp.QuoteMeta(string(p)))
		}
		b.WriteString(")")
	}
	return b.String()
}

// FuzzWordRegex checks that regular expressions that spell a word, as
// sieve import and export write them, decide as RE2 does, anchored or not.
func FuzzWordRegex(f *testing.F) {
	for _, s := range [][2]string{
		{"Résultats", "Vos RÉSULTATS d'analyses"},
		{"résultats", "Vos Résultats d'analyses"},
		{"strasse", "STRAßE ſtrasse"},
		{"k", "\u212a"},
		{"é", "\xc3"},
		{"\ufffd", "a\xffb"},
		{"a.b", "axb a.b"},
		{"İ", "i̇ İ ı"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, key, v string) {
		if key == "" || !utf8.ValidString(key) {
			return
		}
		for _, expr := range []string{asciiCasemapRegex(key), foldRegex(key)} {
			for _, e := range []string{expr, "^" + expr + "$", "^" + expr, expr + "$"} {
				re, err := regexp.Compile(e)
				if err != nil {
					continue
				}
				m := compileMatch(rules.Match{Kind: rules.Regex, CaseSensitive: true, Keys: []rules.Literal{{Value: e}}},
					func(rules.Literal, error) { t.Fatalf("%q refused", e) })
				var scratch []byte
				if got, want := m.match(v, &scratch), re.MatchString(v); got != want {
					t.Fatalf("%q on %q: %v, RE2 %v", e, v, got, want)
				}
				if m.foldsValues() {
					if got, want := m.matchFolded(foldString(v)), re.MatchString(v); got != want {
						t.Fatalf("%q on folded %q: %v, RE2 %v", e, v, got, want)
					}
				}
			}
		}
	})
}

func TestWordRegexCompiled(t *testing.T) {
	compiled := func(expr string) *matcher {
		return compileMatch(rules.Match{Kind: rules.Regex, CaseSensitive: true, Keys: []rules.Literal{{Value: expr}}}, nil)
	}
	// The export of a case-insensitive key is that key.
	m := compiled("(R|r)(É|é)(S|s|ſ)(U|u)(L|l)(T|t)(A|a)(T|t)(S|s|ſ)")
	if m.kind != rules.Contains || !m.fold || len(m.keys) != 1 || m.keys[0] != "résultats" {
		t.Fatalf("not the folded contains key: %+v", m)
	}
	if m := compiled("^(D|d)(R|r)$"); m.kind != rules.Is || m.keys[0] != "dr" {
		t.Fatalf("not the folded is key: %+v", m)
	}
	// An i;ascii-casemap key is matched position by position.
	if m := compiled("[Rr]ésultats"); len(m.lits) != 1 || len(m.res) != 0 {
		t.Fatalf("not a literal regex: %+v", m)
	}
	// Anything else is RE2's.
	for _, expr := range []string{"r.sultats", "^urgen(t|ce)", "a+", "[a-z]", "x|yz", ""} {
		if m := compiled(expr); len(m.lits) != 0 || len(m.keys) != 0 {
			t.Fatalf("%q: not left to RE2: %+v", expr, m)
		}
	}
}
