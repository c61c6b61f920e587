package parser

import (
	"slices"
	"strings"
	"testing"
)

// TestHintsFollowGrammar checks the tables of hints.go against the
// grammar: the phrases "did you mean" offers in each place are those the
// grammar accepts there, and every word the hints name is a keyword.
func TestHintsFollowGrammar(t *testing.T) {
	for _, tc := range []struct {
		name    string
		pl      place
		phrases []string
	}{
		{"top level", placeTop, topPhrases},
		{"rule", placeItem, rulePhrases},
		{"absence block", placeItem, vacationPhrases},
		{"condition", placeCond, condPhrases},
	} {
		starts := probe(nil, 0, tc.pl).words
		firsts := firstWords(tc.phrases)
		for _, w := range starts {
			// Windows parse in a rule, where lowering refuses them: they
			// are not offered there.
			if !firsts[w] && !(tc.name == "rule" && (w == "from" || w == "until")) {
				t.Errorf("%s: the grammar accepts %q, which no phrase begins with", tc.name, w)
			}
		}
		for _, p := range tc.phrases {
			for _, w := range strings.Fields(p) {
				if !isKeyword(w) {
					t.Errorf("%s: phrase %q: %q is not a keyword of the grammar", tc.name, p, w)
				}
			}
			if first, _, _ := strings.Cut(p, " "); !slices.Contains(starts, first) {
				t.Errorf("%s: phrase %q does not begin an element there", tc.name, p)
			}
		}
	}
	for w := range usage {
		if !isKeyword(w) && w != "window" {
			t.Errorf("usage hint for %q, which is not a keyword", w)
		}
	}
	for w := range firstWords(topPhrases, rulePhrases, condPhrases) {
		if _, ok := usage[w]; !ok && !slices.Contains([]string{"keep", "discard", "stop", "always", "until"}, w) {
			t.Errorf("no usage hint for %q", w)
		}
	}
	for w := range valueWhat {
		if !isKeyword(w) {
			t.Errorf("value description for %q, which is not a keyword", w)
		}
	}
	for _, c := range wordClasses {
		for _, w := range c.words {
			if !isKeyword(w) {
				t.Errorf("word class %q: %q is not a keyword", c.what, w)
			}
		}
	}
}
