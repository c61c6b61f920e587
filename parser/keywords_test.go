package parser

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestKeywordDocs checks the documentation of the keywords: every keyword
// has some, every entry documents a keyword, and every keyword is written
// in docs/LANGUAGE.md, which the short documentation summarises.
func TestKeywordDocs(t *testing.T) {
	lang, err := os.ReadFile(filepath.Join("..", "docs", "LANGUAGE.md"))
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, k := range Keywords() {
		if k.Doc == "" {
			t.Errorf("%s %q has no documentation in keywordDocs", k.Class, k.Phrase)
		}
		if k.Syntax == "" {
			t.Errorf("%s %q has no syntax", k.Class, k.Phrase)
		}
		if k.Class.IsForm() && !strings.HasPrefix(k.Syntax, k.Phrase) {
			t.Errorf("%s %q: syntax %q does not begin with the phrase", k.Class, k.Phrase, k.Syntax)
		}
		key := string(k.Class) + ":" + k.Phrase
		if _, ok := keywordDocs[key]; ok {
			used[key] = true
		} else {
			used[string(k.Class)+":"] = true
		}
		if !strings.Contains(string(lang), k.Phrase) {
			t.Errorf("%s %q does not appear in docs/LANGUAGE.md", k.Class, k.Phrase)
		}
	}
	for key := range keywordDocs {
		if !used[key] {
			t.Errorf("keywordDocs[%q] documents no keyword", key)
		}
	}
}

// TestKeywordsFollowGrammar checks the forms Keywords documents against
// the grammar: the forms of each place are those the grammar begins an
// element with there, and every word of the grammar is a keyword.
func TestKeywordsFollowGrammar(t *testing.T) {
	starts := map[Class]place{ClassTop: placeTop, ClassItem: placeItem, ClassSetting: placeItem, ClassAction: placeItem, ClassCondition: placeCond}
	documented := map[place]map[string]bool{}
	words := map[string]bool{}
	for _, k := range Keywords() {
		pl, form := starts[k.Class]
		for i, w := range strings.Fields(k.Phrase) {
			words[w] = true
			if i == 0 && form {
				if documented[pl] == nil {
					documented[pl] = map[string]bool{}
				}
				documented[pl][w] = true
			}
		}
	}
	for _, pl := range []place{placeTop, placeItem, placeCond} {
		accepted := probe(nil, 0, pl).words
		for _, w := range accepted {
			if !documented[pl][w] {
				t.Errorf("the grammar begins an element with %q, which Keywords does not document there", w)
			}
		}
		for w := range documented[pl] {
			if !slices.Contains(accepted, w) {
				t.Errorf("Keywords documents %q as beginning an element where the grammar does not", w)
			}
		}
	}
	for _, w := range literals() {
		if isKeyword(w) && !words[w] {
			t.Errorf("the grammar's word %q is not in Keywords", w)
		}
	}
	for w := range words {
		if !isKeyword(w) && !slices.Contains(dayNames, w) {
			t.Errorf("Keywords has %q, which is not a word of the grammar", w)
		}
	}
}

func ExampleKeywords() {
	for _, k := range Keywords() {
		if k.Phrase == "copy to" || k.Phrase == "regex" {
			fmt.Printf("%s (%s): %s\n", k.Syntax, k.Class, k.Doc)
		}
	}
	// Output:
	// copy to STRING (action): Send a copy of the message to another address (Sieve `redirect :copy`); the message is kept too. The target must be one plain address inside the MSSanté trust space, not a patient mailbox and not the mailbox itself.
	// KIND = is | contains | matches | regex (KIND): The value matches an RE2 regular expression, unanchored (no backreferences, no lookaround).
}
