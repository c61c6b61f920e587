package locale

import (
	"regexp"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/tamis-mss/tamis/rules"
)

// TestTranslationsKeepTheVerbs fails when a translation's verbs differ
// from its key's: the arguments would be printed in the wrong places.
func TestTranslationsKeepTheVerbs(t *testing.T) {
	tb, err := load()
	require.NoError(t, err)
	data, err := messages.ReadFile("messages/fr.json")
	require.NoError(t, err)
	require.NotEmpty(t, data)
	fr := french(t)
	require.NotEmpty(t, fr)
	for key, tr := range fr {
		require.Equal(t, verbs(key), verbs(tr), "the translation of %q has other verbs: %q", key, tr)
	}
	require.Equal(t, len(fr), len(tb.keys[French]))
}

func verbs(s string) []string {
	var out []string
	for _, v := range verbRE.FindAllString(s, -1) {
		if v != "%%" {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}

func TestParseAndDetect(t *testing.T) {
	for in, want := range map[string]language.Tag{
		"fr": French, "fr_FR.UTF-8": French, "fr-CA": French, "en_GB.UTF-8": English, "C": English, "POSIX": English,
		"fr_FR@euro": French,
	} {
		got, ok := Parse(in)
		require.True(t, ok, in)
		require.Equal(t, want, got, in)
	}
	_, ok := Parse("de_DE.UTF-8")
	require.False(t, ok)

	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tag, ok := Detect("", env(map[string]string{"LANG": "fr_FR.UTF-8"}))
	require.True(t, ok)
	require.Equal(t, French, tag)
	tag, _ = Detect("", env(map[string]string{"LANG": "fr_FR.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}))
	require.Equal(t, English, tag, "LC_MESSAGES wins over LANG")
	tag, _ = Detect("", env(map[string]string{"LC_ALL": "fr_FR.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}))
	require.Equal(t, French, tag, "LC_ALL wins over LC_MESSAGES")
	tag, _ = Detect("en", env(map[string]string{"LC_ALL": "fr_FR.UTF-8"}))
	require.Equal(t, English, tag, "--lang wins over the environment")
	tag, _ = Detect("", env(map[string]string{"LANG": "de_DE.UTF-8"}))
	require.Equal(t, English, tag, "an unsupported locale falls back to English")
	_, ok = Detect("de", env(nil))
	require.False(t, ok, "an unsupported --lang is an error")
}

func TestText(t *testing.T) {
	p := New(French)
	for en, fr := range map[string]string{
		`unknown keyword "copie" in a rule`:           `mot-clé "copie" inconnu dans une règle`,
		`did you mean "copy to"?`:                     `vouliez-vous dire "copy to" ?`,
		`unexpected character '/'`:                    `caractère '/' inattendu`,
		"2025-02-30 is not a date":                    "2025-02-30 n'est pas une date",
		"expected the address in quotes, found \"x\"": "l'adresse entre guillemets attendu(e), trouvé \"x\"",
		"invalid UTF-8 at byte offset 12 (0xE9)":      "UTF-8 invalide à l'octet 12 (0xE9)",
		"not a sentence the catalog knows":            "not a sentence the catalog knows",
		"\nExamples:\n":                               "\nExemples :\n",
	} {
		require.Equal(t, fr, p.Text(en), en)
	}
	require.Equal(t, "x", New(English).Text("x"))
	var nilPrinter *Printer
	require.Equal(t, "a b", nilPrinter.Sprintf("a %s", "b"), "a nil printer speaks English")
	require.Equal(t, "tamis check : x\n", p.Sprintf("tamis check: %s\n", "x"), "keys are trimmed, line ends kept")
}

func TestRender(t *testing.T) {
	d := rules.Diagnostic{Severity: rules.Error, Code: rules.CodeUnknownKeyword, Message: `unknown keyword "copie"`,
		Hint: `did you mean "copy to"?`, Range: rules.Range{File: "a.rules", Start: rules.Pos{Line: 1, Column: 1, Offset: 0}, End: rules.Pos{Line: 1, Column: 6, Offset: 5}}}
	got := New(French).Render(d, []byte("copie to \"x\"\n"))
	require.Equal(t, "a.rules:1:1: erreur : mot-clé \"copie\" inconnu [unknown-keyword]\n    copie to \"x\"\n    ^^^^^\n    conseil : vouliez-vous dire \"copy to\" ?\n", got)
	require.Equal(t, d.Render([]byte("copie to \"x\"\n")), New(English).Render(d, []byte("copie to \"x\"\n")))
}

// The related positions of a diagnostic speak the printer's language too,
// and translating does not change the diagnostic it was given.
func TestRelatedTranslated(t *testing.T) {
	d := rules.Diagnostic{Severity: rules.Warning, Code: rules.CodeOverlappingWindows,
		Message: "this window overlaps an earlier window of the same absence block",
		Related: []rules.Related{{Message: "the earlier window"}}}
	fr := New(French).Diagnostic(d)
	require.Equal(t, "cette période chevauche une période précédente du même bloc d'absence", fr.Message)
	require.Equal(t, "la période précédente", fr.Related[0].Message)
	require.Equal(t, "the earlier window", d.Related[0].Message)
}

// TestRenderRelated checks that the related notes of a diagnostic are
// translated with it, and the original left as it was.
func TestRenderRelated(t *testing.T) {
	at := func(line int) rules.Range {
		return rules.Range{File: "a.rules", Start: rules.Pos{Line: line, Column: 5, Offset: 0}, End: rules.Pos{Line: line, Column: 11, Offset: 6}}
	}
	d := rules.Diagnostic{Severity: rules.Error, Code: rules.CodeRejectConflict, Range: at(1),
		Message: `this copy to and the reject of "A" apply to every message: every message would be kept with an error`,
		Hint:    "add a condition to one of the rules", Related: []rules.Related{{Message: "the reject", Range: at(2)}, {Message: "copy to here", Range: at(1)}}}
	got := New(French).Render(d, nil)
	require.Equal(t, "a.rules:1:5: erreur : ce copy to et le reject de \"A\" s'appliquent à chaque message : chaque message serait gardé avec une erreur [reject-conflict]\n"+
		"    conseil : ajoutez une condition à l'une des règles\n"+
		"    a.rules:2:5 : remarque : le reject\n"+
		"    a.rules:1:5 : remarque : copy to ici\n", got)
	require.Equal(t, "the reject", d.Related[0].Message, "the diagnostic is not changed")
}

// Every key's pattern compiles: they are compiled lazily, on the first
// message that may match, so a bad one would panic there.
func TestPatternsCompile(t *testing.T) {
	tab, err := load()
	require.NoError(t, err)
	require.NotEmpty(t, tab.patterns)
	for _, p := range tab.patterns {
		_, err := regexp.Compile(p.src)
		require.NoError(t, err, p.key)
	}
}
