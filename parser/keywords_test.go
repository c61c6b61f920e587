package parser

import (
	"fmt"
	"os"
	"path/filepath"
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

// TestKeywordsFollowForms checks that Keywords lists every phrase of the
// form tables and every word the lowering decodes, in its class.
func TestKeywordsFollowForms(t *testing.T) {
	got := map[string]bool{}
	for _, k := range Keywords() {
		got[string(k.Class)+":"+k.Phrase] = true
	}
	want := func(class Class, phrases []string) {
		for _, p := range phrases {
			if !got[string(class)+":"+p] {
				t.Errorf("Keywords lacks %s %q", class, p)
			}
		}
	}
	want(ClassTop, topForms.phrases())
	want(ClassItem, itemForms.phrases())
	want(ClassSetting, settingForms.phrases())
	want(ClassAction, actionForms.phrases())
	want(ClassCondition, condForms.phrases())
	want(ClassKind, sortedKeys(matchKinds))
	want(ClassUnit, sortedKeys(units))
	want(ClassDay, dayNames)
	want(ClassModifier, []string{"disabled", "and", matchAny, caseSensitive})
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
