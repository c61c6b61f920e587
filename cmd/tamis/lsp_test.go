package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tamis-mss/tamis/internal/lsptest"
	"github.com/tamis-mss/tamis/internal/testenv"
)

// TestLSPBinary runs an editor's session with the real "tamis lsp"
// binary over its standard input and output, the published trust list
// given by --trust and --checksum, and checks that it exits with status 0
// after shutdown and exit.
func TestLSPBinary(t *testing.T) {
	dir := t.TempDir()
	bin := buildTamis(t, dir)
	cmd := exec.Command(bin, "lsp", "--trust", testenv.TrustList(t), "--checksum", testenv.TrustListSHA256)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	c := lsptest.New(t, stdout, stdin)
	lsptest.Exchange(t, c, dir, nil)

	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("tamis lsp after shutdown and exit: %v\nstderr:\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("tamis lsp did not exit after the exit notification\nstderr:\n%s", stderr.String())
	}
	if strings.Contains(stderr.String(), "level=ERROR") || strings.Contains(stderr.String(), "level=WARN") {
		t.Errorf("tamis lsp logged problems:\n%s", stderr.String())
	}
}

// TestLSPLanguage runs sessions of "tamis lsp" in process: --lang wins
// over the editor's locale, which wins over the locale variables.
func TestLSPLanguage(t *testing.T) {
	for _, c := range []struct {
		name, lang, env, locale string
		french                  bool
	}{
		{"--lang fr, editor in English", "fr", "C", "en", true},
		{"--lang en, editor in French", "en", "fr_FR.UTF-8", "fr", false},
		{"LANG=fr_FR.UTF-8, editor without locale", "", "fr_FR.UTF-8", "", true},
		{"LANG=fr_FR.UTF-8, editor in English", "", "fr_FR.UTF-8", "en", false},
		{"LANG=C, editor in French", "", "C", "fr-FR", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("LC_ALL", "")
			t.Setenv("LC_MESSAGES", "")
			t.Setenv("LANG", c.env)
			args := []string{"lsp"}
			if c.lang != "" {
				args = append(args, "--lang", c.lang)
			}
			clientOut, serverIn := io.Pipe()
			serverOut, clientIn := io.Pipe()
			var stderr bytes.Buffer
			code := make(chan int, 1)
			go func() {
				code <- run(&cliEnv{stdin: clientOut, stdout: clientIn, stderr: &stderr}, args)
				_ = clientIn.Close()
			}()
			said := lsptest.Speak(t, lsptest.New(t, serverOut, serverIn), c.locale)
			if c.french {
				lsptest.WantFrench(t, said)
			} else {
				lsptest.WantEnglish(t, said)
			}
			select {
			case got := <-code:
				if got != exitOK {
					t.Errorf("tamis %s: exit %d\n%s", strings.Join(args, " "), got, stderr.String())
				}
			case <-time.After(30 * time.Second):
				t.Fatal("tamis lsp did not exit after the exit notification")
			}
		})
	}
}

// TestLSPUsage checks the command's usage errors.
func TestLSPUsage(t *testing.T) {
	for _, args := range [][]string{
		{"lsp", "file.rules"},
		{"lsp", "--checksum", "00"},
		{"lsp", "--trust", "/nonexistent/listeblanchemssante.xml"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(&cliEnv{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr}, args)
		if code != exitUsage || !strings.HasPrefix(stderr.String(), "tamis lsp: ") || stdout.Len() > 0 {
			t.Errorf("tamis %s: exit %d, stdout %q, stderr %q", strings.Join(args, " "), code, stdout.String(), stderr.String())
		}
	}
}

// TestLSPEndOfInput checks that the server exits with status 1 when the
// editor closes the stream without shutdown.
func TestLSPEndOfInput(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(&cliEnv{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr}, []string{"lsp"}); code != exitFound {
		t.Errorf("tamis lsp on an empty input: exit %d, want %d; stderr %q", code, exitFound, stderr.String())
	}
}

// buildTamis builds the tamis command into dir and returns its path.
func buildTamis(t *testing.T, dir string) string {
	t.Helper()
	gocmd := testenv.Command(t, "go", "install Go")
	bin := filepath.Join(dir, "tamis")
	if out, err := exec.Command(gocmd, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestLSPNeovim has Neovim, a real editor, use "tamis lsp" through its
// own LSP client (testdata/lsp/neovim.lua): it must receive the trust
// refusal at the right place (Neovim converts the protocol's UTF-16
// positions to bytes: the line holds a four-byte character, two UTF-16
// units, before the target), complete a trusted domain, and format the
// buffer.
func TestLSPNeovim(t *testing.T) {
	nvim := testenv.Command(t, "nvim", "apt-get install neovim")
	dir := t.TempDir()
	bin := buildTamis(t, dir)
	policy := filepath.Join(dir, "cabinet.rules")
	src := "mailbox \"cabinet@medecin.mssante.fr\"\n" +
		"rule \"Secrétariat 🩺\" {  copy to \"secretariat@hopital-inconnu.mssante.fr\"\n" +
		"    copy to \"garde@chu-nan\"\n}\n"
	if err := os.WriteFile(policy, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	script, err := filepath.Abs(filepath.Join("testdata", "lsp", "neovim.lua"))
	if err != nil {
		t.Fatal(err)
	}
	outFile := filepath.Join(dir, "out.txt")
	cmd := exec.Command(nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", "luafile "+script, "-c", "qa!")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "OUT="+outFile, "TAMIS="+bin, "TRUST="+testenv.TrustList(t), "DIR="+dir,
		"FILE="+policy, "CLINE=2", "CCOL=26", "HOME="+dir, "XDG_CONFIG_HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_STATE_HOME="+dir, "XDG_CACHE_HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nvim: %v\n%s", err, out)
	}
	got, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatal(err)
	}
	// Byte columns: the target's quote is at byte 36 of line 1 (0-based);
	// "é" is two bytes and "🩺" four.
	want := `diagnostic 1:36-1:76 outside-trust-space copy target "secretariat@hopital-inconnu.mssante.fr" is outside the MSSanté trust space: hopital-inconnu.mssante.fr is not listed in the trust list of 2025-03-13
diagnostic 2:12-2:27 invalid-address copy target "garde@chu-nan" is not a valid address: domain must have at least two labels
completion chu-nantes.mssante.fr
formatted:
mailbox "cabinet@medecin.mssante.fr"

rule "Secrétariat 🩺" {
    copy to "secretariat@hopital-inconnu.mssante.fr"
    copy to "garde@chu-nan"
}
`
	if string(got) != want {
		t.Errorf("Neovim's session:\n%s\nwant:\n%s", got, want)
	}
}
