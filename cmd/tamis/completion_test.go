package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/internal/testenv"
)

// completionCases are command lines (the last word being completed) and the
// candidates the shells must offer.
var completionCases = []struct {
	line []string
	want []string
}{
	{[]string{"ch"}, []string{"check"}},
	{[]string{"check", "--for"}, []string{"--format"}},
	{[]string{"check", "--format", "j"}, []string{"json", "junit"}},
	{[]string{"sieve", "im"}, []string{"import"}},
	{[]string{"--lang", "f"}, []string{"fr"}},
	{[]string{"fmt", "-"}, []string{"--help", "--lang", "-d", "-l", "-w"}},
}

func TestCompleteCandidates(t *testing.T) {
	for _, tc := range completionCases {
		_, out, _ := cli(t, "", append([]string{"__complete"}, tc.line...)...)
		require.Equal(t, tc.want, strings.Fields(out), "%q", tc.line)
	}
	_, out, _ := cli(t, "", "__complete", "check", "--trust", "")
	require.Empty(t, out, "a file: the shell completes file names")
}

// shellWithTamis returns the environment with a freshly built tamis first
// on PATH, as the scripts call "tamis __complete".
// The three shell tests share one binary, built once.
func shellWithTamis(t *testing.T) (env []string, bin string) {
	t.Helper()
	testenv.Command(t, "go", "install Go")
	bin, err := sharedTamis()
	require.NoError(t, err)
	dir := filepath.Dir(bin)
	return append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH")), bin
}

var sharedTamis = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "tamis-completion-")
	if err != nil {
		return "", err
	}
	cleanups = append(cleanups, func() { os.RemoveAll(dir) })
	bin := filepath.Join(dir, "tamis")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// TestCompletionBash runs bash's completion function as bash calls it.
func TestCompletionBash(t *testing.T) {
	bash := testenv.Command(t, "bash", "apt-get install bash")
	env, _ := shellWithTamis(t)
	for _, tc := range completionCases {
		words := append([]string{"tamis"}, tc.line...)
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = "'" + w + "'"
		}
		script := `source <(tamis completion bash)
COMP_WORDS=(` + strings.Join(quoted, " ") + `); COMP_CWORD=` + strconv.Itoa(len(words)-1) + `
_tamis; printf '%s\n' "${COMPREPLY[@]}"`
		cmd := exec.Command(bash, "-c", script)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		require.ElementsMatch(t, tc.want, strings.Fields(string(out)), "%q", tc.line)
	}
}

// TestCompletionZsh runs the zsh function with zsh's words and CURRENT,
// compadd and _files standing in for the completion system's builtins.
func TestCompletionZsh(t *testing.T) {
	zsh := testenv.Command(t, "zsh", "apt-get install zsh")
	env, bin := shellWithTamis(t)
	script := filepath.Join(t.TempDir(), "tamis.zsh")
	src, err := exec.Command(bin, "completion", "zsh").Output()
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(script, src, 0o644))
	for _, tc := range completionCases {
		words := append([]string{"tamis"}, tc.line...)
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = "'" + w + "'"
		}
		z := `compdef() { :; }
compadd() { [[ $1 == -- ]] && shift; print -l -- "$@"; }
_files() { print FILES; }
source ` + script + `
words=(` + strings.Join(quoted, " ") + `); CURRENT=` + strconv.Itoa(len(words)) + `
_tamis`
		c := exec.Command(zsh, "-f", "-c", z)
		c.Env = env
		got, err := c.CombinedOutput()
		require.NoError(t, err, "%s", got)
		require.ElementsMatch(t, tc.want, strings.Fields(string(got)), "%q", tc.line)
	}
}

// TestCompletionFish asks fish itself to complete the command lines.
func TestCompletionFish(t *testing.T) {
	fish := testenv.Command(t, "fish", "apt-get install fish")
	env, _ := shellWithTamis(t)
	for _, tc := range completionCases {
		line := "tamis " + strings.Join(tc.line, " ")
		c := exec.Command(fish, "--no-config", "-c", `tamis completion fish | source; complete -C'`+line+`'`)
		c.Env = env
		got, err := c.CombinedOutput()
		require.NoError(t, err, "%s", got)
		var cands []string
		for _, l := range strings.Split(strings.TrimSpace(string(got)), "\n") {
			if f := strings.Fields(l); len(f) > 0 {
				cands = append(cands, f[0])
			}
		}
		for _, w := range tc.want {
			require.Contains(t, cands, w, "%q", line)
		}
	}
}
