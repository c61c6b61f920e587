package engine

import (
	"testing"

	"github.com/tamis-mss/tamis/rules"
)

// FuzzMatchFolded checks that comparing the folded value (the per-message
// fold cache) decides exactly as comparing the value key by key does, for
// case-insensitive is and contains, with one key and with a set of keys.
func FuzzMatchFolded(f *testing.F) {
	for _, s := range [][2]string{
		{"Résultats d'analyses", "RÉSULTATS"},
		{"KELVIN \u212a", "k"},
		{"Straße", "STRASSE"},
		{"İstanbul", "i̇stanbul"},
		{"\xff\xfeab", "\ufffdab"},
		{"ǅ ǆ Ǆ", "ǆ"},
		{"", ""},
		{"abc", ""},
		{"ΣΑΣ σας", "ς"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, v, key string) {
		for _, kind := range []rules.MatchKind{rules.Is, rules.Contains} {
			keys := []rules.Literal{{Value: key}}
			for range manyKeys { // a set of keys for is
				keys = append(keys, rules.Literal{Value: key + "\x00"})
			}
			for _, ks := range [][]rules.Literal{keys[:1], keys} {
				m := compileMatch(rules.Match{Kind: kind, Keys: ks}, func(rules.Literal, error) {})
				if !m.foldsValues() {
					t.Fatalf("%v: does not fold values", kind)
				}
				var scratch []byte
				want := m.match(v, &scratch)
				if got := m.matchFolded(foldString(v)); got != want {
					t.Fatalf("%v %q against %q (%d keys): folded %v, key by key %v", kind, v, key, len(ks), got, want)
				}
			}
		}
	})
}
