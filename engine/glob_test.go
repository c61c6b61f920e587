package engine

import (
	"regexp"
	"strings"
	"testing"
)

// globRegexp translates a glob to an anchored RE2 expression, the
// reference the glob matcher must agree with.
func globRegexp(pattern string, fold bool) *regexp.Regexp {
	var b strings.Builder
	if fold {
		b.WriteString("(?i)")
	}
	b.WriteString(`(?s)^`)
	escaped := false
	for _, r := range pattern {
		switch {
		case escaped:
			escaped = false
			b.WriteString(regexp.QuoteMeta(string(r)))
		case r == '\\':
			escaped = true
		case r == '*':
			b.WriteString(".*")
		case r == '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	if escaped {
		b.WriteString(`\\`)
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

func checkGlob(t *testing.T, pattern, value string, fold bool) {
	t.Helper()
	if !validUTF8(pattern) || !validUTF8(value) {
		return // RE2 reads invalid bytes differently; values are decoded text
	}
	got := compileGlob(pattern, fold).match(value, fold)
	want := globRegexp(pattern, fold).MatchString(value)
	if got != want {
		t.Fatalf("glob %q on %q (fold %v): got %v, RE2 says %v", pattern, value, fold, got, want)
	}
}

func validUTF8(s string) bool {
	return strings.ToValidUTF8(s, "\uFFFD") == s && !strings.ContainsRune(s, '\uFFFD')
}

func TestGlobAgreesWithRegexp(t *testing.T) {
	patterns := []string{"", "*", "?", "a*", "*a", "a*b*c", "*@*.mssante.fr", "??té", `\*x\?`, "*é*", "CR *", "a**b", `x\`, "*?*?", "Ré*ats", "ı", "İ", "i", "I*", "ς", "Σ"}
	values := []string{"", "a", "ab", "abc", "aXbYc", "x@chu.MSSANTE.fr", "été", "*x?", "CR du", "cr", "RÉSULTATS", "résultats", `x\`, "ſ", "ab\nc", "i", "I", "ı", "İ", "σ", "ς", "Σ"}
	for _, p := range patterns {
		for _, v := range values {
			checkGlob(t, p, v, false)
			checkGlob(t, p, v, true)
		}
	}
}

func FuzzGlob(f *testing.F) {
	f.Add("a*b?c", "aXXbYc", true)
	f.Add("*@*.mssante.fr", "Dr@CHU.mssante.fr", false)
	f.Add(`\*é\?`, "*É?", true)
	f.Fuzz(func(t *testing.T, pattern, value string, fold bool) {
		if len(pattern) > 64 || len(value) > 256 {
			return
		}
		checkGlob(t, pattern, value, fold)
	})
}
