package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/parser"
)

const sievePolicy = `mailbox "cabinet.lilas@medecin.mssante.fr"

vacation "Congés" {
    from 2025-12-20 18:00 until 2026-01-05
    reply """
        Bonjour,
        Le cabinet est fermé.
        """
    copy to "remplacant@medecin.mssante.fr"
}

rule "Patients" {
    when from domain is "patient.mssante.fr"
    file into "INBOX/Patients"
    stop
}
`

const roundcubeScript = "require [\"vacation\",\"date\",\"relational\",\"fileinto\"];\r\n" +
	"# rule:[Absence]\r\n" +
	"if allof (currentdate :zone \"+0200\" :value \"ge\" \"date\" \"2025-07-01\", currentdate :zone \"+0200\" :value \"le\" \"date\" \"2025-11-03\")\r\n" +
	"{\r\n\tvacation :days 7 :subject \"Absence\" text:\r\nBonjour,\r\n..point\r\n.\r\n;\r\n}\r\n" +
	"# rule:[Filtre]\r\nif header :contains \"subject\" \"été\"\r\n{\r\n\tfileinto \"INBOX/Été\";\r\n}\r\n"

func TestSieveExport(t *testing.T) {
	p := writeFile(t, filepath.Join(t.TempDir(), "cabinet.rules"), sievePolicy)
	code, out, errOut := cli(t, "", "sieve", "export", p)
	require.Equal(t, exitOK, code, errOut)
	require.True(t, strings.HasPrefix(out, "# tamis:mailbox \"cabinet.lilas@medecin.mssante.fr\"\n"), out)
	require.Contains(t, out, "# rule:[Congés]\nif allof (currentdate :zone \"+0100\" :value \"ge\" \"iso8601\" \"2025-12-20T18:00:00+01:00\", currentdate :zone \"+0100\" :value \"le\" \"date\" \"2026-01-05\")")
	require.Contains(t, out, "\tredirect :copy \"remplacant@medecin.mssante.fr\";\n")
}

func TestSieveExportRefuses(t *testing.T) {
	p := writeFile(t, filepath.Join(t.TempDir(), "p.rules"), "rule \"P\" {\n    when sender is patient\n    discard\n}\n")
	code, out, errOut := cli(t, "", "sieve", "export", p)
	require.Equal(t, exitFound, code)
	require.Empty(t, out, "nothing is exported when something is refused")
	require.Contains(t, errOut, "p.rules:2:10: error: \"sender is patient\" has no exact Sieve equivalent [not-expressible]")
}

func TestSieveExportChecksTrust(t *testing.T) {
	p := writeFile(t, filepath.Join(t.TempDir(), "p.rules"), "rule \"X\" {\n    copy to \"dr@gmail.com\"\n}\n")
	code, out, errOut := cli(t, "", "sieve", "export", p)
	require.Equal(t, exitFound, code)
	require.Empty(t, out)
	require.Contains(t, errOut, "[outside-trust-space]")
}

func TestSieveImport(t *testing.T) {
	s := writeFile(t, filepath.Join(t.TempDir(), "roundcube.sieve"), roundcubeScript)
	code, out, errOut := cli(t, "", "sieve", "import", s)
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "# Imported from "+s+" by tamis sieve import, with these notes:\n")
	require.Contains(t, out, "warning: key \"été\" has non-ASCII letters, which Sieve's default comparator (i;ascii-casemap) does not fold: it misses \"ÉTÉ\"; imported exactly, as the regular expression \"é[tT]é\" [trap]")
	require.Contains(t, out, "vacation \"Absence\" {\n    from 2025-07-01 until 2025-11-03 23:00\n")
	require.Contains(t, out, "        .point\n")
	p, diags := parser.Parse("out.rules", []byte(out), parser.DefaultOptions())
	require.False(t, diags.HasErrors(), "%v\n%s", diags, out)
	require.Len(t, p.Statements, 2)
}

// TestSieveImportRepair checks that --repair rewrites the traps into what
// was meant and says so.
func TestSieveImportRepair(t *testing.T) {
	s := writeFile(t, filepath.Join(t.TempDir(), "roundcube.sieve"), roundcubeScript)
	code, out, errOut := cli(t, "", "sieve", "import", "--repair", s)
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "vacation \"Absence\" {\n    from 2025-07-01 until 2025-11-03\n")
	require.Contains(t, out, "when header \"subject\" contains \"été\"\n")
	require.Contains(t, out, "[repaired]")
	require.NotContains(t, out, "[trap]")
	_, diags := parser.Parse("out.rules", []byte(out), parser.DefaultOptions())
	require.False(t, diags.HasErrors(), "%v\n%s", diags, out)
}

func TestSieveImportChecksTrust(t *testing.T) {
	s := writeFile(t, filepath.Join(t.TempDir(), "x.sieve"), "redirect \"dr@gmail.com\";\n")
	code, out, errOut := cli(t, "", "sieve", "import", s)
	require.Equal(t, exitFound, code)
	require.Contains(t, out, "reroute to \"dr@gmail.com\"")
	require.Contains(t, errOut, "x.sieve:1:10: error:")
	require.Contains(t, errOut, "[outside-trust-space]")
}

func TestSieveUsage(t *testing.T) {
	code, _, errOut := cli(t, "", "sieve", "convert", "x")
	require.Equal(t, exitUsage, code)
	requireOneLine(t, errOut, "name a direction and one file")
	code, _, errOut = cli(t, "", "sieve", "import", filepath.Join(t.TempDir(), "missing.sieve"))
	require.Equal(t, exitUsage, code)
	require.Contains(t, errOut, "no such file or directory")
}
