package engine

import (
	"regexp"
	"testing"
)

var prefixExprs = []string{
	`(?i)^urgen(t|ce)\b`, `^URGENT`, `(?i)\Akiss`, `^(?i:ab)Cd`, `(?m)^urgent`, `urgent`, `^`, `(?i)^é`, `^a+b`, `(?i)^s.*`,
	`^x|^y`, `(?i)^[Kk]ey`,
}

var prefixValues = []string{
	"", "u", "urgen", "urgent", "URGENT : IRM", "Urgence", "urgenT", "\u212Aiss", "kiss", "KISS me", "\u017Fkiss",
	"abCd", "ABcd", "aBCd", "abcd", "x", "y", "é", "É", "aab", "b", "\xff", "ſ", "\u017F", "Key", "\u212Aey",
	"Re: urgent", " urgent", "s", "S",
}

// TestAnchoredPrefix checks that a value the prefix excludes never
// matches the expression, and that the prefix does exclude the plain
// cases it is for.
func TestAnchoredPrefix(t *testing.T) {
	for _, expr := range prefixExprs {
		re := regexp.MustCompile(expr)
		p := regexPrefix(expr)
		for _, v := range prefixValues {
			if p.excludes(v) && re.MatchString(v) {
				t.Errorf("%q excludes %q, which matches", expr, v)
			}
		}
	}
	p := regexPrefix(`(?i)^urgen(t|ce)\b`)
	for _, v := range []string{"", "Suivi de Mme Bernard", "urge", "Re: urgent"} {
		if !p.excludes(v) {
			t.Errorf("(?i)^urgen(t|ce)\\b does not exclude %q", v)
		}
	}
	for _, expr := range []string{`(?m)^urgent`, `urgent`, `^x|^y`, `(?i)^é`} {
		if p := regexPrefix(expr); len(p.text) != 0 {
			t.Errorf("%q has the prefix %q", expr, p.text)
		}
	}
}

func FuzzAnchoredPrefix(f *testing.F) {
	for i, expr := range prefixExprs {
		f.Add(expr, prefixValues[i%len(prefixValues)])
	}
	f.Fuzz(func(t *testing.T, expr, v string) {
		re, err := regexp.Compile(expr)
		if err != nil {
			return
		}
		if regexPrefix(expr).excludes(v) && re.MatchString(v) {
			t.Fatalf("%q excludes %q, which matches", expr, v)
		}
	})
}
