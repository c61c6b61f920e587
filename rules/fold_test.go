package rules_test

import (
	"testing"
	"unicode"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/rules"
)

func TestFoldRune(t *testing.T) {
	for _, tt := range []struct{ in, want rune }{
		{'A', 'a'}, {'a', 'a'}, {'É', 'é'}, {'é', 'é'}, {'Œ', 'œ'},
		{'\u212A', 'k'}, // Kelvin sign
		{'ſ', 's'},      // long s
		{'ß', 'ß'},      // simple folding only: no "ss"
		{'1', '1'}, {'@', '@'},
	} {
		require.Equal(t, string(tt.want), string(rules.FoldRune(tt.in)), "FoldRune(%q)", tt.in)
	}
}

// TestFoldRuneIsSimpleFolding checks that FoldRune groups characters
// exactly as unicode.SimpleFold orbits do, the folding of RE2's (?i) and
// strings.EqualFold: every member of an orbit has the same representative,
// which is itself in the orbit.
func TestFoldRuneIsSimpleFolding(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		f := rules.FoldRune(r)
		inOrbit := f == r
		for g := unicode.SimpleFold(r); g != r; g = unicode.SimpleFold(g) {
			if g == f {
				inOrbit = true
			}
			if rules.FoldRune(g) != f {
				t.Fatalf("FoldRune(%U) = %U but FoldRune(%U) = %U, in the same orbit", r, f, g, rules.FoldRune(g))
			}
		}
		if !inOrbit {
			t.Fatalf("FoldRune(%U) = %U, outside its SimpleFold orbit", r, f)
		}
	}
}

// The Turkish dotless and dotted i fold only to themselves, as in RE2: the
// FuzzGlob crasher (glob "ı" on "i").
func TestFoldRuneTurkishI(t *testing.T) {
	for _, r := range []rune{'ı', 'İ'} {
		require.Equal(t, string(r), string(rules.FoldRune(r)))
		require.NotEqual(t, rules.FoldRune('i'), rules.FoldRune(r))
	}
}
