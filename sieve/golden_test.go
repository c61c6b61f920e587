package sieve

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/parser"
	"github.com/tamis-mss/tamis/rules"
)

var update = flag.Bool("update", false, "rewrite the expected outputs (never the inputs) in testdata")

// checkGolden compares got with the golden file, or rewrites it with -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run go test -update")
	require.Equal(t, string(want), got, "output differs from %s (run go test -update to accept)", path)
}

// parsePolicy reads a .rules test input, failing on any parser error.
func parsePolicy(t testing.TB, path string) (*rules.Policy, []byte) {
	t.Helper()
	p, src, diags, err := parser.ParseFile(path, parser.DefaultOptions())
	require.NoError(t, err)
	require.False(t, diags.HasErrors(), "test input does not parse:\n%s", diags.Render(map[string][]byte{path: src}))
	return p, src
}

// renderDiagnostics prints diagnostics with their source excerpts.
func renderDiagnostics(ds rules.Diagnostics, file string, src []byte) string {
	if len(ds) == 0 {
		return ""
	}
	return "---- diagnostics\n" + ds.Render(map[string][]byte{file: src})
}

// TestExportGolden exports every policy of testdata/export and compares
// the script, or the refusals, with the .sieve golden file.
func TestExportGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/export/*.rules")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			p, src := parsePolicy(t, path)
			script, diags := Export(p)
			require.Equal(t, diags.HasErrors(), script == nil, "a script is returned exactly when there is no error")
			checkGolden(t, strings.TrimSuffix(path, ".rules")+".sieve", string(script)+renderDiagnostics(diags, path, src))
		})
	}
}

// TestImportGolden imports every script of testdata/import and compares
// the policy, formatted as .rules, and the diagnostics with the golden file.
// The formatted policy must parse back to the same policy.
func TestImportGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/import/*.sieve")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			require.NoError(t, err)
			p, diags := Import(path, src)
			require.NotNil(t, p)
			text := parser.Format(p)
			golden := strings.TrimSuffix(path, ".sieve") + ".rules.golden"
			got := string(text) + renderDiagnostics(diags, path, src)
			if *update {
				checkGolden(t, golden, got)
			}
			// The policy part is compared as a policy, not as text, so that
			// a change of the formatter's layout does not fail this test;
			// the diagnostics are compared as text.
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "missing golden file; run go test -update")
			wantRules, wantDiags, _ := strings.Cut(string(want), "---- diagnostics\n")
			gotRules, gotDiags, _ := strings.Cut(got, "---- diagnostics\n")
			require.Equal(t, wantDiags, gotDiags, "diagnostics differ from %s (run go test -update to accept)", golden)
			if wantRules != gotRules {
				wp, wdiags := parser.Parse(golden, []byte(wantRules), parser.DefaultOptions())
				require.False(t, wdiags.HasErrors(), "%v", wdiags)
				require.Equal(t, dumpNoComments(wp), dumpNoComments(p), "policy differs from %s (run go test -update to accept)", golden)
			}
			back, bdiags := parser.Parse("formatted.rules", text, parser.DefaultOptions())
			require.False(t, bdiags.HasErrors(), "the formatted import does not parse:\n%s\n%s", text, bdiags.Render(map[string][]byte{"formatted.rules": text}))
			require.Equal(t, dumpNoComments(p), dumpNoComments(back), "the formatted import reads back differently")
		})
	}
}

// dumpNoComments dumps a policy without positions, file name or comments.
func dumpNoComments(p *rules.Policy) string {
	q := *p
	q.Comments = nil
	q.File = ""
	return rules.DumpWithoutPositions(&q)
}
