package casetest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/internal/oracle"
)

func TestGoodCasePasses(t *testing.T) {
	Run(t, "testdata/good/*.case", Options{Min: 1})
}

// childPattern is set in the environment of a copy of this test binary
// that runs the broken cases: they must fail, which the parent checks.
const childPattern = "TAMIS_CASETEST_PATTERN"

// failing runs the broken cases of pattern in a copy of this test binary,
// as the test named test, and returns its output; the run must fail.
func failing(t *testing.T, test, pattern string) string {
	t.Helper()
	if p := os.Getenv(childPattern); p != "" {
		Run(t, p, Options{Min: 1})
		return ""
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.v")
	cmd.Env = append(os.Environ(), childPattern+"="+pattern)
	out, err := cmd.CombinedOutput()
	require.Error(t, err, "the broken cases passed:\n%s", out)
	return string(out)
}

// TestRunCatchesWrongExpectations checks that a wrong expect block and a
// wrong trace block fail, with a diff.
func TestRunCatchesWrongExpectations(t *testing.T) {
	out := failing(t, "TestRunCatchesWrongExpectations", "testdata/broken/expect.case")
	if out == "" {
		return // the child
	}
	require.Contains(t, out, "expect.case:8: ../good/resultats.eml: outcome differs (- expected, + got):")
	require.Contains(t, out, "- keep (implicit)")
	require.Contains(t, out, `+ file into "Resultats"  (rule "Résultats")`)
	require.Contains(t, out, "expect.case:12: ../good/resultats.eml: trace differs (- expected, + got):")
	require.Contains(t, out, `- rule "Résultats" at policy.rules:5:1: not matched`)
}

// TestRunCatchesPigeonholeDifferences checks the three ways a delivery can
// fail its comparison with Pigeonhole.
func TestRunCatchesPigeonholeDifferences(t *testing.T) {
	if os.Getenv(childPattern) == "" {
		oracle.RequireAvailable(t)
	}
	out := failing(t, "TestRunCatchesPigeonholeDifferences", "testdata/broken/pigeonhole.case")
	if out == "" {
		return // the child
	}
	require.Contains(t, out, "tamis disagrees with Pigeonhole: testdata/broken/pigeonhole.case:10: ../good/majuscules.eml at 2025-01-07T10:00:00Z")
	require.Contains(t, out, "pigeonhole.case:14: ../good/resultats.eml at 2025-01-07T10:00:00Z: the documented difference (no difference here at all) is gone")
	require.Contains(t, out, "pigeonhole.case:20: ../good/majuscules.eml at 2025-01-07T10:00:00Z: Pigeonhole no longer does what the case documents (Unicode case folding, but documented wrong)")
	require.Contains(t, out, "- discard\n")
}

// TestUpdateRecordsTheBlocks runs -update on a copy of the good case
// stripped of its expect and trace lines and of Pigeonhole's documented
// outcome: it must write back the case as it was.
func TestUpdateRecordsTheBlocks(t *testing.T) {
	oracle.RequireAvailable(t)
	want, err := os.ReadFile("testdata/good/good.case")
	require.NoError(t, err)
	dir := t.TempDir()
	for _, f := range []string{"policy.rules", "script.sieve", "resultats.eml", "majuscules.eml"} {
		b, err := os.ReadFile(filepath.Join("testdata/good", f))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), b, 0o644))
	}
	var stripped []string
	for _, l := range strings.SplitAfter(string(want), "\n") {
		if strings.HasPrefix(l, "    ") || l == "expect\n" {
			continue
		}
		stripped = append(stripped, l)
	}
	path := filepath.Join(dir, "good.case")
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(stripped, "")), 0o644))
	t.Run("update", func(t *testing.T) { Run(t, path, Options{Update: true}) })
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, string(want), string(got))
	t.Run("again", func(t *testing.T) { Run(t, path, Options{}) })
}

func TestCaseName(t *testing.T) {
	require.Equal(t, "copy", caseName("testdata/copy/copy.case"))
	require.Equal(t, "pharmacie/patients", caseName("pharmacie/patients.case"))
}

func TestExtensionsFor(t *testing.T) {
	require.Equal(t, "+vacation-seconds", extensionsFor([]byte(`require ["vacation", "vacation-seconds"];`)))
	require.Empty(t, extensionsFor([]byte(`require ["vacation"];`)))
}
