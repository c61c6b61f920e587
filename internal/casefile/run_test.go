package casefile

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/internal/testenv"
)

const copyPolicy = `mailbox "cabinet.lilas@medecin.mssante.fr"

rule "Copie au secrétariat" {
    copy to "secretariat@esantepdl.mssante.fr"
}
`

const plainMessage = "From: dr.dupont@medecin.mssante.fr\r\nTo: cabinet.lilas@medecin.mssante.fr\r\nSubject: Bonjour\r\nMessage-ID: <1@medecin.mssante.fr>\r\n\r\nBonjour.\r\n"

// writeCase writes a case directory with files (name → content) and
// returns the parsed case file named "t.case".
func writeCase(t *testing.T, files map[string]string) *File {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	f, err := ReadFile(filepath.Join(dir, "t.case"))
	require.NoError(t, err)
	return f
}

// A trust line after a deliver is a refresh between compiling and
// evaluating: the copy target, trusted when compiling, is refused for that
// delivery only.
func TestRunTrustRefresh(t *testing.T) {
	f := writeCase(t, map[string]string{
		"policy.rules": copyPolicy,
		"m.eml":        plainMessage,
		"t.case": "trust " + testenv.TrustList(t) + "\nfrom dr.dupont@medecin.mssante.fr\nnow 2025-01-07T10:00:00Z\n\n" +
			"deliver m.eml\n\ndeliver m.eml\ntrust " + testenv.TrustListPartial(t) + "\n\ndeliver m.eml\n",
	})
	res := Run(context.Background(), f, Options{})
	require.NoError(t, res.Err)
	copied := []string{`copy to "secretariat@esantepdl.mssante.fr"  (rule "Copie au secrétariat")`, "keep (implicit)"}
	require.Equal(t, copied, res.Deliveries[0].Got)
	require.Equal(t, []string{"keep (implicit)", `refused copy to "secretariat@esantepdl.mssante.fr": outside-trust-space  (rule "Copie au secrétariat")`}, res.Deliveries[1].Got)
	require.Equal(t, copied, res.Deliveries[2].Got, "the case's list is current again")
	for _, d := range res.Deliveries {
		require.Empty(t, d.PathsDiff)
		require.False(t, d.Passed(), "no expect block")
	}
}

// A published list cannot give way to the built-in fallback, as in a
// server: a case that tries says so.
func TestRunTrustNoDowngrade(t *testing.T) {
	f := writeCase(t, map[string]string{
		"policy.rules": copyPolicy,
		"m.eml":        plainMessage,
		"t.case":       "from dr.dupont@medecin.mssante.fr\nnow 2025-01-07T10:00:00Z\n\ndeliver m.eml\ntrust " + testenv.TrustList(t) + "\n\ndeliver m.eml\n",
	})
	res := Run(context.Background(), f, Options{})
	require.NoError(t, res.Err)
	require.NoError(t, res.Deliveries[0].Err)
	require.ErrorContains(t, res.Deliveries[1].Err, "the list cannot become current")
}

// A policy with errors makes a case when a diagnostics block expects them:
// nothing is evaluated.
func TestRunExpectedErrors(t *testing.T) {
	policy := strings.Replace(copyPolicy, "esantepdl.mssante.fr", "gmail.com", 1)
	f := writeCase(t, map[string]string{
		"policy.rules": policy,
		"m.eml":        plainMessage,
		"t.case": "from dr.dupont@medecin.mssante.fr\nnow 2025-01-07T10:00:00Z\n\ndiagnostics\n" +
			"    policy.rules:4:13: error: copy target \"secretariat@gmail.com\" is outside the MSSanté trust space: gmail.com is not in the built-in fallback list [outside-trust-space]\n\n" +
			"deliver m.eml\nexpect\n    not evaluated: the policy has errors\n",
	})
	res := Run(context.Background(), f, Options{})
	require.NoError(t, res.Err)
	require.Empty(t, res.DiagnosticsDiff, "got %q", res.DiagnosticLines)
	require.False(t, res.Compiled)
	require.True(t, res.Passed())

	// Without the block, the errors fail the case.
	f.Diagnostics = nil
	res = Run(context.Background(), f, Options{})
	require.ErrorContains(t, res.Err, "has errors")
}

// outcomeLines tells apart two results that differ only where the
// expectation lines do not look: positions and reply bytes.
func TestOutcomeLinesSeePositions(t *testing.T) {
	a := engine.Result{Actions: []engine.Action{{Kind: engine.ActionDiscard, Rule: "R"}}}
	b := a
	b.Actions = []engine.Action{{Kind: engine.ActionDiscard, Rule: "R"}}
	b.Actions[0].Range.Start.Line = 7
	require.Equal(t, Expectations(a, nil), Expectations(b, nil))
	require.NotEmpty(t, Diff(outcomeLines(a), outcomeLines(b)))
	require.Empty(t, Diff(outcomeLines(a), outcomeLines(a)))
}

func TestFormatPeriod(t *testing.T) {
	for d, want := range map[string]string{"168h": "7 days", "24h": "1 day", "12h": "12 hours", "90m": "90 minutes", "1s": "1 second"} {
		dur, err := time.ParseDuration(d)
		require.NoError(t, err)
		require.Equal(t, want, FormatPeriod(dur))
	}
}
