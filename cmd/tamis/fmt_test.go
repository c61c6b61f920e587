package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// messy is a valid policy in a non-canonical layout.
const messy = `# Cabinet
mailbox   "cabinet.lilas@esantepdl.mssante.fr"
rule "Labo" { when from domain is "biogroup.mssante.fr" ; file into "INBOX/Biologie" }
`

func TestFmtStdin(t *testing.T) {
	code, out, errOut := cli(t, messy, "fmt")
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "# Cabinet\n")
	require.Contains(t, out, "\n    file into \"INBOX/Biologie\"\n")
	// Formatting is idempotent.
	code, again, _ := cli(t, out, "fmt")
	require.Equal(t, exitOK, code)
	require.Equal(t, out, again)
}

func TestFmtListDiffWrite(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, filepath.Join(dir, "cabinet.rules"), messy)
	canonical, _ := formatPolicy(p, []byte(messy))

	code, out, _ := cli(t, "", "fmt", "-l", dir)
	require.Equal(t, exitOK, code)
	require.Equal(t, p+"\n", out)

	code, out, _ = cli(t, "", "fmt", "-d", p)
	require.Equal(t, exitOK, code)
	require.True(t, strings.HasPrefix(out, "--- "+p+"\n+++ "+p+" (formatted)\n@@ -1,3 +1,"), out)
	require.Contains(t, out, "\n-rule \"Labo\" { when")
	require.Contains(t, out, "\n+    file into \"INBOX/Biologie\"\n")

	before, _ := os.ReadFile(p)
	require.Equal(t, messy, string(before), "-l and -d do not write")

	code, out, _ = cli(t, "", "fmt", "-w", p)
	require.Equal(t, exitOK, code)
	require.Empty(t, out)
	after, _ := os.ReadFile(p)
	require.Equal(t, string(canonical), string(after))

	code, out, _ = cli(t, "", "fmt", "-l", dir)
	require.Equal(t, exitOK, code)
	require.Empty(t, out, "nothing left to format")
}

func TestFmtRefusesBrokenPolicy(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("testdata/broken.rules")
	require.NoError(t, err)
	// Only the syntax error counts for fmt: the trust check is not its job.
	p := writeFile(t, filepath.Join(dir, "broken.rules"), string(src))
	code, out, errOut := cli(t, "", "fmt", "-w", p)
	require.Equal(t, exitFound, code)
	require.Empty(t, out)
	require.Contains(t, errOut, p+":11:5: error: unknown keyword \"copie\"")
	require.Contains(t, errOut, "tamis fmt: "+p+" not formatted: fix the errors above first\n")
	after, _ := os.ReadFile(p)
	require.Equal(t, string(src), string(after), "a broken file is left untouched")
}

func TestFmtExamplesAreCanonical(t *testing.T) {
	code, out, errOut := cli(t, "", "fmt", "-l", "../../examples")
	require.Equal(t, exitOK, code, errOut)
	require.Empty(t, out, "run: go run ./cmd/tamis fmt -w examples")
}

func TestUnifiedDiffHunks(t *testing.T) {
	a := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n"
	b := "1\n2\nTROIS\n4\n5\n6\n7\n8\n9\n10\n11\nDOUZE\n"
	want := `--- f
+++ f (formatted)
@@ -1,6 +1,6 @@
 1
 2
-3
+TROIS
 4
 5
 6
@@ -9,4 +9,4 @@
 9
 10
 11
-12
+DOUZE
`
	require.Equal(t, want, unifiedDiff("f", []byte(a), []byte(b)))
}

func TestSplitMbox(t *testing.T) {
	raw := "From a@b Sat Nov  8 09:00:00 2025\nSubject: un\n\n>From the start\n>>From quoted twice\n\nFrom c@d Sat Nov  8 10:00:00 2025\nSubject: deux\n\ncorps\n"
	msgs := splitMbox("x.mbox", []byte(raw))
	require.Len(t, msgs, 2)
	require.Equal(t, "x.mbox#1", msgs[0].name)
	require.Equal(t, "Subject: un\n\nFrom the start\n>From quoted twice\n", string(msgs[0].raw))
	require.Equal(t, "Subject: deux\n\ncorps\n", string(msgs[1].raw))
}
