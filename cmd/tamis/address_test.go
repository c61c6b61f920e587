package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/internal/testenv"
)

// trustSHA256 is the published checksum of the list testenv.TrustList
// names.
const trustSHA256 = testenv.TrustListSHA256

// runAddressCmd runs "tamis address ARGS…" with stdin and returns the exit
// code, stdout and stderr.
func runAddressCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(&cliEnv{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut}, append([]string{"address"}, args...))
	return code, out.String(), errOut.String()
}

func TestAddressCommandWithList(t *testing.T) {
	trustFile := testenv.TrustList(t)
	code, out, errOut := runAddressCmd(t, "", "--trust", trustFile, "--checksum", trustSHA256,
		"secretariat@UC-CMP.mssante.fr", "dr@interop-mssante.apicrypt.org")
	require.Equal(t, exitOK, code, errOut)
	require.Empty(t, errOut)
	require.Equal(t, "secretariat@UC-CMP.mssante.fr\ttrusted\tlisted in the trust list of 2025-03-13\n"+
		"dr@interop-mssante.apicrypt.org\ttrusted\tApicrypt mailbox; listed in the trust list of 2025-03-13\n", out)

	code, out, _ = runAddressCmd(t, "", "--trust", trustFile,
		"dr@adsea29.mssanté.fr", "269054958815780@patient.mssante.fr", "269054958815781@patient.mssante.fr",
		"Dr Martin <dr@adsea29.mssante.fr>", "dr@adsea29.mssante.fr\r\nBcc: x@gmail.com", "dr@apicrypt.org", "dr@adsea29.mss\u200bante.fr")
	require.Equal(t, exitFound, code)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 7, "one line per address, whatever it holds")
	want := []struct{ addr, verdict, reason string }{
		{"dr@adsea29.mssanté.fr", "outside", "did you mean dr@adsea29.mssante.fr?"},
		{"269054958815780@patient.mssante.fr", "patient", "INS key checked"},
		{"269054958815781@patient.mssante.fr", "patient", "wrong key 81, the number gives 80"},
		{"Dr Martin <dr@adsea29.mssante.fr>", "invalid", "display names"},
		{`"dr@adsea29.mssante.fr\r\nBcc: x@gmail.com"`, "invalid", "line break"},
		{"dr@apicrypt.org", "outside", "Apicrypt v1"},
		{`"dr@adsea29.mss\u200bante.fr"`, "invalid", "U+200B"},
	}
	for i, w := range want {
		cols := strings.Split(lines[i], "\t")
		require.Len(t, cols, 3, lines[i])
		require.Equal(t, w.addr, cols[0])
		require.Equal(t, w.verdict, cols[1])
		require.Contains(t, cols[2], w.reason)
		require.NotContains(t, cols[2], "unverified")
	}
}

func TestAddressCommandFallback(t *testing.T) {
	code, out, errOut := runAddressCmd(t, "", "cabinet@lilas.mssante.fr", "dr@gmail.com")
	require.Equal(t, exitFound, code)
	require.Contains(t, errOut, "fallback")
	require.Equal(t, "cabinet@lilas.mssante.fr\ttrusted\tmatches the built-in fallback list (*.mssante.fr and the two Apicrypt domains) (unverified)\n"+
		"dr@gmail.com\toutside\tgmail.com is not in the built-in fallback list (unverified)\n", out)
}

func TestAddressCommandStdinAndJSON(t *testing.T) {
	stdin := "cabinet@lilas.mssante.fr\r\n\n   noreply-labo@lilas.mssante.fr  \ndr@mssante.fr\n"
	code, out, _ := runAddressCmd(t, stdin, "--format", "json", "--applicative", "noreply-*", "-", "x@interop-mssante.apicrypt.org")
	require.Equal(t, exitFound, code)
	var got []addressResult
	dec := json.NewDecoder(strings.NewReader(out))
	for dec.More() {
		var r struct {
			Address, Verdict, Kind, Reason, Normalized, Suggestion string
			Unverified                                             bool
		}
		require.NoError(t, dec.Decode(&r))
		got = append(got, addressResult{Address: r.Address, Reason: r.Verdict + "/" + r.Kind, Normalized: r.Normalized, Unverified: r.Unverified})
	}
	require.Equal(t, []addressResult{
		{Address: "cabinet@lilas.mssante.fr", Reason: "trusted/other", Normalized: "cabinet@lilas.mssante.fr", Unverified: true},
		{Address: "noreply-labo@lilas.mssante.fr", Reason: "trusted/applicative", Normalized: "noreply-labo@lilas.mssante.fr", Unverified: true},
		{Address: "dr@mssante.fr", Reason: "outside/other", Normalized: "dr@mssante.fr", Unverified: true},
		{Address: "x@interop-mssante.apicrypt.org", Reason: "trusted/apicrypt", Normalized: "x@interop-mssante.apicrypt.org", Unverified: true},
	}, got)
	require.Equal(t, 4, strings.Count(out, "\n"), "JSON lines")
}

func TestAddressCommandAllTrustedFromStdin(t *testing.T) {
	code, out, _ := runAddressCmd(t, "a@lilas.mssante.fr\nb@lilas.mssante.fr\n", "-")
	require.Equal(t, exitOK, code)
	require.Equal(t, 2, strings.Count(out, "\ttrusted\t"))
}

func TestAddressCommandUsage(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no address", nil, "no address given"},
		{"bad format", []string{"--format", "xml", "a@b.mssante.fr"}, "--format must be one of"},
		{"unknown flag", []string{"--nope", "a@b.mssante.fr"}, "unknown flag"},
		{"checksum without list", []string{"--checksum", trustSHA256, "a@b.mssante.fr"}, "--checksum needs --trust"},
		{"missing list", []string{"--trust", "absent.xml", "a@b.mssante.fr"}, "absent.xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runAddressCmd(t, "", tt.args...)
			require.Equal(t, exitUsage, code)
			require.Empty(t, out)
			require.Contains(t, errOut, tt.stderr)
		})
	}
}

func TestAddressCommandBadChecksum(t *testing.T) {
	code, out, errOut := runAddressCmd(t, "", "--trust", testenv.TrustList(t), "--checksum", strings.Repeat("0", 64), "a@adsea29.mssante.fr")
	require.Equal(t, exitUsage, code)
	require.Empty(t, out, "no verdict on an unverifiable list")
	require.Contains(t, errOut, "checksum mismatch")
}

func TestAddressCommandHelp(t *testing.T) {
	code, out, _ := runAddressCmd(t, "", "--help")
	require.Equal(t, exitOK, code)
	require.Contains(t, out, "Usage: tamis address")
	require.Contains(t, out, "Examples:")
	require.Contains(t, out, "--trust")
	for _, v := range []string{"trusted", "patient", "outside", "invalid"} {
		require.Contains(t, out, "  "+v+" ")
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, os.ErrClosed }

func TestAddressCommandStdinError(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(&cliEnv{stdin: failingReader{}, stdout: &out, stderr: &errOut}, []string{"address", "-"})
	require.Equal(t, exitUsage, code)
	require.Contains(t, errOut.String(), "read standard input")
}

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"dr@adsea29.mssante.fr", "dr@adsea29.mssante.fr"},
		{"dr@mssanté.fr", "dr@mssanté.fr"},
		{"dr@аdsea29.mssante.fr", "dr@аdsea29.mssante.fr"}, // a homograph shows as typed; the verdict says outside
		{"dr@adsea29\ufe0f.mssante.fr", `"dr@adsea29\ufe0f.mssante.fr"`},
		{"dr@adsea29.mss\u200bante.fr", `"dr@adsea29.mss\u200bante.fr"`},
		{"a\tb@x.fr", `"a\tb@x.fr"`},
		{"a@x.fr\xff", `"a@x.fr\xff"`},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, printable(tt.in))
	}
}

// TestAddressShowsTheKind checks that the text output names the applicative
// kind, and that a patient address with a malformed INS is a patient
// mailbox, as "sender is patient" sees it, not an invalid address.
func TestAddressShowsTheKind(t *testing.T) {
	code, out, _ := runAddressCmd(t, "", "noreply@cabinet.mssante.fr", "x@patient.mssante.fr")
	require.Equal(t, exitFound, code)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2)
	require.True(t, strings.HasPrefix(lines[0], "noreply@cabinet.mssante.fr\ttrusted\tapplicative mailbox"), lines[0])
	require.True(t, strings.HasPrefix(lines[1], "x@patient.mssante.fr\tpatient\tpatient mailbox with an invalid matricule INS"), lines[1])

	code, out, _ = runAddressCmd(t, "", "--lang", "fr", "noreply@cabinet.mssante.fr")
	require.Equal(t, exitOK, code)
	require.Contains(t, out, "\ttrusted\tboîte applicative", "the verdict stays a keyword, the reason is French")
}
