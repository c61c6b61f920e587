package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// layerFixture writes an operator policy run before, a user policy and an
// operator policy run after, and a message.
func layerFixture(t *testing.T) (dir string) {
	dir = t.TempDir()
	writeFile(t, filepath.Join(dir, "securite.rules"), "rule \"Étiquette urgente\" {\n    when subject contains \"urgent\"\n    flag \"$Urgent\"\n}\n")
	writeFile(t, filepath.Join(dir, "user.rules"), "mailbox \"pharmacie.halles@pharmacien.mssante.fr\"\n\nrule \"Copie secrétariat\" {\n    copy to \"secretariat@esantepdl.mssante.fr\"\n}\n")
	writeFile(t, filepath.Join(dir, "archive.rules"), "rule \"Archive\" {\n    file into \"Archive\"\n}\n")
	writeFile(t, filepath.Join(dir, "msg.eml"), sampleMessage("dr.martin@chu-nantes.mssante.fr", "Résultats urgents"))
	return dir
}

func TestRunLayers(t *testing.T) {
	dir := layerFixture(t)
	code, out, errOut := cli(t, "", "run", "--before", filepath.Join(dir, "securite.rules"), "--after", filepath.Join(dir, "archive.rules"),
		"--policy", filepath.Join(dir, "user.rules"), filepath.Join(dir, "msg.eml"))
	require.Equal(t, exitOK, code, errOut)
	// The three layers ran: the flag of the first, the copy of the user's,
	// the file into of the last (the copy keeps the message, so it runs).
	for _, want := range []string{`flag`, `$Urgent`, `copy to "secretariat@esantepdl.mssante.fr"`, `file into "Archive"`} {
		require.Contains(t, out, want)
	}

	// A user policy that files the message ends the sequence: the after
	// layer does not run.
	writeFile(t, filepath.Join(dir, "user.rules"), "rule \"Trier\" {\n    file into \"Pharmacie\"\n}\n")
	code, out, errOut = cli(t, "", "run", "--after", filepath.Join(dir, "archive.rules"),
		"--policy", filepath.Join(dir, "user.rules"), filepath.Join(dir, "msg.eml"))
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, `file into "Pharmacie"`)
	require.NotContains(t, out, `Archive`)
}

func TestCheckLayers(t *testing.T) {
	dir := layerFixture(t)
	code, out, _ := cli(t, "", "check", "--before", filepath.Join(dir, "securite.rules"), "--after", filepath.Join(dir, "archive.rules"), filepath.Join(dir, "user.rules"))
	require.Equal(t, exitOK, code, out)
	require.Contains(t, out, "3 policies checked: 0 errors")

	// A layer naming another mailbox than the user's policy.
	writeFile(t, filepath.Join(dir, "autre.rules"), "mailbox \"autre@pharmacien.mssante.fr\"\n\nrule \"k\" {\n    keep\n}\n")
	code, out, _ = cli(t, "", "check", "--before", filepath.Join(dir, "autre.rules"), filepath.Join(dir, "user.rules"))
	require.Equal(t, exitFound, code, out)
	require.Contains(t, out, "layer-mailbox")

	// An error in a layer is reported at its position in the layer.
	writeFile(t, filepath.Join(dir, "bad.rules"), "rule \"Fuite\" {\n    copy to \"x@gmail.com\"\n}\n")
	code, out, _ = cli(t, "", "check", "--after", filepath.Join(dir, "bad.rules"), filepath.Join(dir, "user.rules"))
	require.Equal(t, exitFound, code, out)
	require.Contains(t, out, "bad.rules:2:")
}

func TestTestLayers(t *testing.T) {
	dir := layerFixture(t)
	writeFile(t, filepath.Join(dir, "layers.case"), strings.Join([]string{
		"policy user.rules",
		"to     pharmacie.halles@pharmacien.mssante.fr",
		"from   dr.martin@chu-nantes.mssante.fr",
		"deliver msg.eml",
		"now     2025-07-15T09:30:00+02:00",
		"expect",
		"    x",
		"",
	}, "\n"))
	code, out, errOut := cli(t, "", "test", "--update", "--before", filepath.Join(dir, "securite.rules"), "--after", filepath.Join(dir, "archive.rules"), filepath.Join(dir, "layers.case"))
	require.Equal(t, exitOK, code, out+errOut)
	code, out, errOut = cli(t, "", "test", "--before", filepath.Join(dir, "securite.rules"), "--after", filepath.Join(dir, "archive.rules"), filepath.Join(dir, "layers.case"))
	require.Equal(t, exitOK, code, out+errOut)
	// Without the layers the same expectations fail.
	code, out, _ = cli(t, "", "test", filepath.Join(dir, "layers.case"))
	require.Equal(t, exitFound, code, out)
	require.Contains(t, out, "Archive")
}
