package main

import (
	"bytes"
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
	gocmd := testenv.Command(t, "go", "install Go")
	dir := t.TempDir()
	bin := filepath.Join(dir, "tamis")
	build := exec.Command(gocmd, "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
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
