package parser

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/rules"
)

var update = flag.Bool("update", false, "rewrite the expected outputs (*.golden) from the current results; inputs are never touched")

// golden compares got with the file at path, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run go test ./parser -update")
	require.Equal(t, string(want), got, "output differs from %s (run with -update to accept)", path)
}

func cases(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.rules"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

// TestValid parses every valid case, compares the model's dump and the
// canonical formatting with their golden files, and checks the round trip.
func TestValid(t *testing.T) {
	for _, path := range cases(t, "valid") {
		name := strings.TrimSuffix(filepath.Base(path), ".rules")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(path)
			require.NoError(t, err)
			p, diags := Parse(filepath.Base(path), src, DefaultOptions())
			require.Empty(t, diags, "%s", diags.Render(map[string][]byte{filepath.Base(path): src}))
			base := strings.TrimSuffix(path, ".rules")
			golden(t, base+".golden", rules.Dump(p))
			out := Format(p)
			golden(t, base+".fmt.golden", string(out))
			checkRoundTrip(t, p)
		})
	}
}

// checkRoundTrip checks that Format(p) parses back to p apart from
// positions, and that formatting is idempotent. It zeroes the ranges of p:
// call it last.
func checkRoundTrip(t *testing.T, p *rules.Policy) {
	t.Helper()
	out := Format(p)
	q, diags := Parse(p.File, out, Options{})
	require.Empty(t, diags, "formatted output does not parse:\n%s\n%s", diags.Render(map[string][]byte{p.File: out}), out)
	require.Equal(t, rules.DumpWithoutPositions(p), rules.DumpWithoutPositions(q), "Parse(Format(p)) differs from p; formatted:\n%s", out)
	require.Equal(t, string(out), string(Format(q)), "Format is not idempotent")
	// Field by field, beyond what the dump shows.
	stripRanges(reflect.ValueOf(p))
	stripRanges(reflect.ValueOf(q))
	// Blank lines describe the layout of each source, like ranges.
	p.BlankLines, q.BlankLines = nil, nil
	require.Equal(t, p, q, "Parse(Format(p)) differs from p apart from ranges")
}

// stripRanges zeroes every rules.Range reachable from v, in place.
func stripRanges(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			stripRanges(v.Elem())
		}
	case reflect.Slice:
		for i := range v.Len() {
			stripRanges(v.Index(i))
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(rules.Range{}) {
			v.Set(reflect.Zero(v.Type()))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				stripRanges(v.Field(i))
			}
		}
	}
}

// TestInvalid parses every invalid case and compares the rendered
// diagnostics with their golden files.
func TestInvalid(t *testing.T) {
	for _, path := range cases(t, "invalid") {
		name := strings.TrimSuffix(filepath.Base(path), ".rules")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(path)
			require.NoError(t, err)
			file := filepath.Base(path)
			_, diags := Parse(file, src, DefaultOptions())
			require.True(t, diags.HasErrors(), "expected errors")
			for _, d := range diags {
				require.NotEmpty(t, d.Hint, "diagnostic without hint: %v", d)
			}
			golden(t, strings.TrimSuffix(path, ".rules")+".golden", diags.Render(map[string][]byte{file: src}))
		})
	}
}

// TestEBNF pins the grammar, so that a grammar change shows in review.
func TestEBNF(t *testing.T) {
	golden(t, filepath.Join("testdata", "grammar.ebnf.golden"), EBNF()+"\n")
}

// TestLanguageDocGrammar checks that the grammar docs/LANGUAGE.md shows is
// the parser's, apart from the line breaks added for reading.
func TestLanguageDocGrammar(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "LANGUAGE.md"))
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(doc), "\n## Grammar\n")
	require.True(t, ok)
	_, rest, ok := strings.Cut(section, "```\n")
	require.True(t, ok)
	shown, _, ok := strings.Cut(rest, "```\n")
	require.True(t, ok)
	require.Equal(t, strings.Join(strings.Fields(EBNF()), " "), strings.Join(strings.Fields(shown), " "),
		"docs/LANGUAGE.md shows another grammar than parser.EBNF()")
}
