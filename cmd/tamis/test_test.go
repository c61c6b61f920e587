package main

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// expectBlocks matches the expect blocks of a case file.
var expectBlocks = regexp.MustCompile(`(?m)^expect\n(?:[ \t]+.*\n)*`)

func TestTestExamplesPass(t *testing.T) {
	code, out, errOut := cli(t, "", "test", "../../examples")
	require.Equal(t, exitOK, code, out)
	require.Equal(t, fallbackNote+"\n", errOut)
	require.Contains(t, out, "policy ../../examples/pharmacie/pharmacie.rules: checked, no problem\n")
	require.Contains(t, out, "  ok   ../../examples/pharmacie/patients.case\n")
	require.Contains(t, out, `reply to "179063155504283@patient.mssante.fr" from "pharmacie.halles@pharmacien.mssante.fr" subject "Pharmacie des Halles : message reçu" every 1 day  (rule "Messages des patients")`)
	require.True(t, strings.HasSuffix(out, "ok: 6 cases passed (6 policies, 37 messages)\n"), out)
}

func TestTestUpdateThenPass(t *testing.T) {
	dir := copyDir(t, "../../examples/absence-remplacant")
	casePath := filepath.Join(dir, "conges.case")
	golden, err := os.ReadFile(casePath)
	require.NoError(t, err)
	stripped := expectBlocks.ReplaceAllString(string(golden), "")
	require.NotContains(t, stripped, "expect")
	writeFile(t, casePath, stripped)

	code, out, _ := cli(t, "", "test", dir)
	require.Equal(t, exitFound, code)
	require.Contains(t, out, "no expectation recorded: run \"tamis test --update\"")
	require.Contains(t, out, "FAIL: 1 of 1 case failed")

	code, out, _ = cli(t, "", "test", "--update", dir)
	require.Equal(t, exitOK, code, out)
	require.Contains(t, out, "(expectations updated)")
	updated, err := os.ReadFile(casePath)
	require.NoError(t, err)
	require.Equal(t, stripped, expectBlocks.ReplaceAllString(string(updated), ""), "--update never changes the inputs")
	require.Equal(t, 5, strings.Count(string(updated), "\nexpect\n"))

	code, out, _ = cli(t, "", "test", "-q", dir)
	require.Equal(t, exitOK, code, out)
	require.Equal(t, "ok: 1 case passed (1 policy, 5 messages)\n", out)

	// The reviewed golden of the repository says the same.
	require.Equal(t, expectBlocks.FindAllString(string(golden), -1), expectBlocks.FindAllString(string(updated), -1))
}

func TestTestBrokenExpectationShowsDiff(t *testing.T) {
	dir := copyDir(t, "../../examples/cabinet-groupe")
	casePath := filepath.Join(dir, "cabinet.case")
	src, err := os.ReadFile(casePath)
	require.NoError(t, err)
	broken := strings.Replace(string(src), `copy to "secretariat.lilas@esantepdl.mssante.fr"  (rule "Redirection secrétariat")`,
		`copy to "accueil.lilas@esantepdl.mssante.fr"  (rule "Redirection secrétariat")`, 1)
	require.NotEqual(t, string(src), broken)
	writeFile(t, casePath, broken)

	code, out, _ := cli(t, "", "test", casePath)
	require.Equal(t, exitFound, code)
	require.Contains(t, out, "  FAIL "+casePath+"\n")
	require.Contains(t, out, "the outcome differs from the expectation (- expected, + got):\n"+
		`         - copy to "accueil.lilas@esantepdl.mssante.fr"  (rule "Redirection secrétariat")`+"\n"+
		`         + copy to "secretariat.lilas@esantepdl.mssante.fr"  (rule "Redirection secrétariat")`+"\n"+
		"           keep (implicit)\n"+
		"         what the engine decided, and why:\n"+
		`           copy to "secretariat.lilas@esantepdl.mssante.fr"`+"\n"+
		`               why: rule "Redirection secrétariat" (`+filepath.Join(dir, "cabinet.rules")+`:15:5): from is "paul.girard@chu-nantes.mssante.fr" (seen "paul.girard@chu-nantes.mssante.fr"); `+
		`subject contains ["ordonnance", "résultats"] (seen "Résultats d’IRM – Mme Joséphine Roux")`+"\n"+
		"           did not act:\n", "a failed case says why the engine decided otherwise")
	require.True(t, strings.HasSuffix(out, "FAIL: 1 of 1 case failed (1 policy, 6 messages)\n"), out)

	// JUnit: well-formed XML with one failure among six test cases.
	code, out, _ = cli(t, "", "test", "--format", "junit", casePath)
	require.Equal(t, exitFound, code)
	require.True(t, strings.HasPrefix(out, xml.Header))
	var suites junitSuites
	require.NoError(t, xml.Unmarshal([]byte(out), &suites))
	require.Equal(t, 6, suites.Tests)
	require.Equal(t, 1, suites.Failures)
	require.Equal(t, 0, suites.Errors)
	require.Len(t, suites.Suites, 1)
	var failed []junitCase
	for _, c := range suites.Suites[0].Cases {
		if c.Failure != nil {
			failed = append(failed, c)
		}
	}
	require.Len(t, failed, 1)
	require.Equal(t, "messages/resultats-irm.eml (line 8)", failed[0].Name)
	require.Contains(t, failed[0].Failure.Text, `+ copy to "secretariat.lilas@esantepdl.mssante.fr"`)
}

func TestTestJUnitAllPass(t *testing.T) {
	code, out, _ := cli(t, "", "test", "--format", "junit", "../../examples")
	require.Equal(t, exitOK, code)
	var suites junitSuites
	require.NoError(t, xml.Unmarshal([]byte(out), &suites))
	require.Equal(t, 37, suites.Tests)
	require.Zero(t, suites.Failures+suites.Errors)
	require.Len(t, suites.Suites, 6)
}

func TestTestBadCases(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "p.rules"), "rule \"Tout\" {\n    keep\n}\n")
	writeFile(t, filepath.Join(dir, "m.eml"), "From: a@medecin.mssante.fr\nSubject: x\n\ncorps\n")
	bad := writeFile(t, filepath.Join(dir, "a-syntax.case"), "deliver m.eml\nwhen 2025\n")
	noNow := writeFile(t, filepath.Join(dir, "b-nonow.case"), "from a@medecin.mssante.fr\ndeliver m.eml\n")
	missing := writeFile(t, filepath.Join(dir, "c-missing.case"), "now 2025-01-01T00:00:00Z\nfrom a@medecin.mssante.fr\ndeliver absent.eml\n")
	code, out, _ := cli(t, "", "test", dir)
	require.Equal(t, exitFound, code)
	require.Contains(t, out, "FAIL "+bad+"\n     "+bad+":2: unknown keyword \"when\"")
	require.Contains(t, out, noNow+":2: no delivery time: add a \"now\" line")
	require.Contains(t, out, missing+":3: read message: open "+filepath.Join(dir, "absent.eml")+": no such file or directory")
	require.Contains(t, out, "FAIL: 3 of 3 cases failed")
}
