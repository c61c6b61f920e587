package parser

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestForms pins the forms of the language as the lowering tables define
// them, so that adding, removing or renaming a keyword changes a golden
// file. (testdata/grammar.ebnf.golden only pins the generic tree grammar.)
func TestForms(t *testing.T) {
	golden(t, filepath.Join("testdata", "forms.golden"), formsText())
}

// formsText prints every form of the form tables and every word table the
// lowering decodes with.
func formsText() string {
	var b strings.Builder
	b.WriteString("# The forms of the tamis policy language, printed from the tables that\n" +
		"# lowering dispatches on (parser/forms.go) and the word tables it decodes\n" +
		"# with. Regenerate: go test ./parser -run TestForms -update\n")
	section := func(title string) { fmt.Fprintf(&b, "\n%s\n", title) }
	line := func(phrase, args, note string) {
		s := phrase
		if args != "" {
			s += " " + args
		}
		if note != "" {
			s = fmt.Sprintf("%-56s (%s)", s, note)
		}
		fmt.Fprintf(&b, "    %s\n", strings.TrimRight(s, " "))
	}
	section("top level:")
	for _, f := range topForms.forms {
		line(f.phrase, f.args, f.note)
	}
	section("ITEM, in a rule or absence block:")
	for _, f := range itemForms.forms {
		line(f.phrase, f.args, f.note)
	}
	section("SETTING, reply settings (once each, in a block with reply):")
	for _, f := range settingForms.forms {
		line(f.phrase, f.args, f.note)
	}
	section("ACTION:")
	for _, f := range actionForms.forms {
		line(f.phrase, f.args, f.note)
	}
	section("COND:")
	for _, f := range condForms.forms {
		line(f.phrase, f.args, f.note)
	}
	section("words:")
	words := func(name string, ws []string) { fmt.Fprintf(&b, "    %-10s = %s\n", name, strings.Join(ws, " | ")) }
	words("MATCH", []string{fmt.Sprintf("KIND (STRING | LIST | %s LIST) [%s]", matchAny, caseSensitive)})
	words("KIND", keysByValue(matchKinds))
	words("PART", keysByValue(addressParts))
	words("ENVELOPE", keysByValue(envelopeFields))
	words("SENDER", keysByValue(senderPredicates))
	words("MESSAGE", keysByValue(messagePredicates))
	words("COMPARISON", sortedKeys(sizeComparisons))
	words("SIZE", []string{"NUMBER", "NUMBER followed by " + strings.Join(keysByValue(sizeSuffixes)[1:], ", ")})
	words("UNIT", keysByValue(units))
	words("DAYS", []string{"DAY", "DAY-DAY", "DAY+DAY…"})
	words("DAY", append(dayNames[1:7:7], dayNames[0]))
	return b.String()
}

// TestUsageCoversForms checks that the usage hints (lower.go) follow the
// form tables: every form's first word has one, and every hint is for a
// word that begins a form.
func TestUsageCoversForms(t *testing.T) {
	firsts := map[string]bool{}
	add := func(phrases []string) {
		for _, p := range phrases {
			w, _, _ := strings.Cut(p, " ")
			firsts[w] = true
		}
	}
	add(topForms.phrases())
	add(itemForms.phrases())
	add(settingForms.phrases())
	add(actionForms.phrases())
	add(condForms.phrases())
	for w := range firsts {
		if _, ok := usage[w]; !ok && w != "keep" && w != "discard" && w != "stop" && w != "always" && w != "until" {
			t.Errorf("no usage hint for %q", w)
		}
	}
	for w := range usage {
		if !firsts[w] {
			t.Errorf("usage hint for %q, which begins no form", w)
		}
	}
}
