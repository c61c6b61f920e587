package engine

import (
	"testing"
	"unicode/utf8"

	"github.com/tamis-mss/tamis/rules"
)

// foldRuneByRune is appendFold as it was written before its ASCII runs
// were lowered in bulk: the reference.
func foldRuneByRune(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		b = utf8.AppendRune(b, rules.FoldRune(r))
		i += n
	}
	return b
}

func TestAppendFold(t *testing.T) {
	for _, s := range []string{
		"", "A", "Suivi de Mme BERNARD", "Résultats", "RÉSULTATS d'IRM", "ÉÈ", "\xff", "a\xffB", "Kelvin \u212A",
		"ǅ", "ΣΑΣ", "ẞ", "İı", "x\xe9y", "Ab\u00e9\U0001F600Z",
	} {
		for _, prefix := range []string{"", "pré"} {
			got := string(appendFold([]byte(prefix), s))
			want := string(foldRuneByRune([]byte(prefix), s))
			if got != want {
				t.Errorf("appendFold(%q, %q) = %q, want %q", prefix, s, got, want)
			}
		}
	}
}

func FuzzAppendFold(f *testing.F) {
	f.Add("Résultats de BIOLOGIE")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendFold(nil, s)), string(foldRuneByRune(nil, s)); got != want {
			t.Fatalf("appendFold(%q) = %q, want %q", s, got, want)
		}
	})
}
