package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/internal/testenv"
)

func TestCheckExamplesClean(t *testing.T) {
	code, out, errOut := cli(t, "", "check", "../../examples")
	require.Equal(t, exitOK, code, out)
	require.Equal(t, "6 policies checked: 0 errors, 0 warnings\n", out)
	require.Equal(t, fallbackNote+"\n", errOut, "the fallback is announced once, not once per file")
}

func TestCheckExamplesWithPublishedList(t *testing.T) {
	list := testenv.TrustList(t)
	code, out, errOut := cli(t, "", "check", "--trust", list, "../../examples")
	require.Equal(t, exitOK, code, out)
	require.Empty(t, errOut)
	require.Equal(t, "6 policies checked: 0 errors, 0 warnings\n", out)

	code, _, errOut = cli(t, "", "check", "--trust", list, "--checksum", strings.Repeat("0", 64), "../../examples")
	require.Equal(t, exitUsage, code)
	requireOneLine(t, errOut, "tamis check: load trust list:")
}

func TestCheckText(t *testing.T) {
	code, out, _ := cli(t, "", "check", "testdata/broken.rules")
	require.Equal(t, exitFound, code)
	want := `testdata/broken.rules:6:13: error: copy target "secretariat@gmail.com" is outside the MSSanté trust space`
	require.True(t, strings.HasPrefix(out, want), out)
	lines := strings.Split(out, "\n")
	// The source line, then a caret under the target.
	require.Equal(t, `        copy to "secretariat@gmail.com"`, lines[1])
	require.Equal(t, `                ^^^^^^^^^^^^^^^^^^^^^^^`, lines[2])
	require.Contains(t, out, "testdata/broken.rules:11:5: error: unknown keyword \"copie\" in a rule [unknown-keyword]\n")
	require.Contains(t, out, "hint: did you mean \"copy to\"?\n")
	require.True(t, strings.HasSuffix(out, "1 policy checked: 2 errors, 0 warnings\n"), out)
}

func TestCheckJSON(t *testing.T) {
	code, out, _ := cli(t, "", "check", "--format", "json", "testdata/broken.rules")
	require.Equal(t, exitFound, code)
	var got jsonCheck
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Equal(t, []string{"testdata/broken.rules"}, got.Files)
	require.False(t, got.TrustVerified)
	require.Equal(t, 2, got.Errors)
	require.Len(t, got.Diagnostics, 2)
	d := got.Diagnostics[1]
	require.Equal(t, jsonDiagnostic{
		File: "testdata/broken.rules", Line: 11, Column: 5, EndLine: 11, EndColumn: 10,
		Severity: "error", Code: "unknown-keyword", Message: `unknown keyword "copie" in a rule`,
		Hint: `did you mean "copy to"?`,
	}, d)
	// The field names are a documented interface: check them literally.
	var raw map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &raw))
	for _, k := range []string{"files", "trust_verified", "errors", "warnings", "diagnostics"} {
		require.Contains(t, raw, k)
	}
}

func TestCheckGitHub(t *testing.T) {
	code, out, _ := cli(t, "", "check", "--format", "github", "testdata/broken.rules")
	require.Equal(t, exitFound, code)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 2)
	require.True(t, strings.HasPrefix(lines[0], "::error file=testdata/broken.rules,line=6,col=13,endLine=6,endColumn=36,title=tamis outside-trust-space::copy target "), lines[0])
	require.Equal(t, `::error file=testdata/broken.rules,line=11,col=5,endLine=11,endColumn=10,title=tamis unknown-keyword::unknown keyword "copie" in a rule%0Ahint: did you mean "copy to"?`, lines[1])
}

func TestCheckStrictWarnings(t *testing.T) {
	dir := t.TempDir()
	// A rule after an unconditional stop can never take effect: a warning.
	p := writeFile(t, dir+"/w.rules", "rule \"Tout\" {\n    stop\n}\n\nrule \"Jamais\" {\n    discard\n}\n")
	code, out, _ := cli(t, "", "check", p)
	require.Contains(t, out, "warning: ", "an unreachable rule must be a warning")
	require.Equal(t, exitOK, code, out)
	code, _, _ = cli(t, "", "check", "--strict", p)
	require.Equal(t, exitFound, code)
}

// TestCheckReportsAConflictOnce: the parser and the engine both refuse a
// reject combined with keep; check shows it once.
func TestCheckReportsAConflictOnce(t *testing.T) {
	p := writeFile(t, t.TempDir()+"/c.rules",
		"mailbox \"cabinet@medecin.mssante.fr\"\nrule \"Gros\" {\n    when size over 25M\n    reject \"Trop gros\"\n    keep\n}\n")
	code, out, _ := cli(t, "", "check", p)
	require.Equal(t, exitFound, code, out)
	require.Equal(t, 1, strings.Count(out, "[reject-conflict]"), out)
	require.Contains(t, out, "1 error, 0 warnings")
}

// TestCheckEscapesTerminalControls checks that a policy line holding an
// escape sequence is shown, not sent raw to the terminal of the person
// checking it.
func TestCheckEscapesTerminalControls(t *testing.T) {
	path := filepath.Join(t.TempDir(), "esc.rules")
	require.NoError(t, os.WriteFile(path, []byte("rule \"x\" {\n    copy to \"a@gmail.com\" # \x1b]0;pwned\x07\x1b[2J\n}\n"), 0o600))
	code, out, _ := cli(t, "", "check", path)
	require.Equal(t, exitFound, code, out)
	require.NotContains(t, out, "\x1b")
	require.NotContains(t, out, "\x07")
	require.Contains(t, out, "# ␛]0;pwned␇␛[2J")
}
