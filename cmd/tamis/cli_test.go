package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// cli runs "tamis ARGS…" with stdin and returns the exit code, stdout and
// stderr.
func cli(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(&cliEnv{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut}, args)
	return code, out.String(), errOut.String()
}

// oneLine asserts that s is exactly one line (the rule for error
// messages) and contains want.
func requireOneLine(t *testing.T, s, want string) {
	t.Helper()
	require.Equal(t, 1, strings.Count(s, "\n"), "expected one line, got %q", s)
	require.Contains(t, s, want)
	require.NotContains(t, s, "goroutine", "no stack trace")
	require.NotContains(t, s, "panic")
}

// withoutNote drops the fallback-list note from stderr.
func withoutNote(s string) string {
	return strings.Replace(s, fallbackNote+"\n", "", 1)
}

// copyDir copies the directory tree src into a new temporary directory and
// returns its path.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	err := filepath.Walk(src, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	require.NoError(t, err)
	return dst
}

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

func TestHelpOfEveryCommand(t *testing.T) {
	for _, name := range []string{"check", "run", "test", "fmt"} {
		for _, flag := range []string{"--help", "-h"} {
			code, out, errOut := cli(t, "", name, flag)
			require.Equal(t, exitOK, code, name)
			require.Empty(t, errOut)
			require.True(t, strings.HasPrefix(out, "Usage: tamis "+name+" "), out)
			require.Contains(t, out, "\nFlags:\n")
			require.Contains(t, out, "\nExamples:\n  tamis "+name)
		}
	}
	code, out, _ := cli(t, "", "help")
	require.Equal(t, exitOK, code)
	for _, name := range []string{"check", "run", "test", "fmt"} {
		require.Contains(t, out, "\n  "+name+" ")
	}
}

func TestUsageErrorsAreOneLine(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, `tamis: unknown command "frobnicate"`},
		{[]string{"check", "--bogus", "x.rules"}, `tamis check: unknown flag -bogus; run "tamis check --help"`},
		{[]string{"run", "--policy"}, `tamis run: flag needs an argument: -policy`},
		{[]string{"test", "-x"}, `tamis test: unknown flag -x`},
		{[]string{"fmt", "--nope"}, `tamis fmt: unknown flag -nope`},
		{[]string{"check"}, `tamis check: no policy given`},
		{[]string{"check", "--format", "xml", "x.rules"}, `tamis check: --format must be one of text, json, github, junit, not "xml"`},
		{[]string{"check", "testdata/absent.rules"}, `tamis check: testdata/absent.rules: no such file or directory`},
		{[]string{"check", "EMPTY"}, `tamis check: EMPTY: no .rules policy files in this directory`},
		{[]string{"check", "--checksum", "00", "testdata/broken.rules"}, `tamis check: --checksum needs --trust FILE`},
		{[]string{"run", "x.eml"}, `tamis run: --policy FILE is required`},
		{[]string{"run", "--policy", "../../examples/pharmacie/pharmacie.rules"}, `tamis run: no message given`},
		{[]string{"run", "--policy", "../../examples/pharmacie/pharmacie.rules", "--now", "demain", "x.eml"}, `tamis run: --now "demain" is not an RFC 3339 time`},
		{[]string{"run", "--policy", "../../examples/pharmacie/pharmacie.rules", "absent.eml"}, `tamis run: absent.eml: no such file or directory`},
		{[]string{"run", "--policy", "absent.rules", "../../examples/pharmacie/messages/ordonnance.eml"}, `tamis run: absent.rules: no such file or directory`},
		{[]string{"test", "EMPTY"}, `tamis test: EMPTY: no .case golden cases in this directory`},
		{[]string{"fmt", "-w", "-d", "testdata/broken.rules"}, `tamis fmt: -w and -d cannot be combined`},
		{[]string{"test", "testdata/broken.rules"}, `tamis test: testdata/broken.rules: not a golden case (.case file); to check a policy, run "tamis check testdata/broken.rules"`},
		{[]string{"run", "--policy", "testdata", "../../examples/pharmacie/messages/ordonnance.eml"}, `tamis run: testdata: is a directory, not a policy file`},
		{[]string{"fmt", "EMPTY"}, `tamis fmt: EMPTY: no .rules policy files in this directory`},
	} {
		require.NoError(t, os.MkdirAll("EMPTY", 0o755))
		code, out, errOut := cli(t, "", tc.args...)
		require.Equal(t, exitUsage, code, "%v", tc.args)
		require.Empty(t, out, "%v", tc.args)
		requireOneLine(t, withoutNote(errOut), tc.want)
	}
}

func TestFlagsAfterArguments(t *testing.T) {
	code, out, _ := cli(t, "", "check", "../../examples", "--format", "json")
	require.Equal(t, exitOK, code)
	require.True(t, strings.HasPrefix(out, "{"), out)
}
