package oracle

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

func TestPathFindsRepositoryRoot(t *testing.T) {
	t.Setenv(EnvPath, "")
	p, err := Path()
	require.NoError(t, err)
	// The package directory is internal/oracle: the root is two levels up.
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	require.Equal(t, filepath.Join(root, "..", "shared", "oracle", "sieve-oracle"), p)
}

func TestPathEnvOverride(t *testing.T) {
	t.Setenv(EnvPath, "/opt/oracle/sieve-oracle")
	p, err := Path()
	require.NoError(t, err)
	require.Equal(t, "/opt/oracle/sieve-oracle", p)
}

func TestAvailableReportsMissingScript(t *testing.T) {
	t.Setenv(EnvPath, filepath.Join(t.TempDir(), "no-such-oracle"))
	require.ErrorContains(t, Available(), "no-such-oracle")
}

func TestAvailableReportsNonExecutable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sieve-oracle")
	require.NoError(t, os.WriteFile(path, []byte("#!/bin/sh\n"), 0o644))
	t.Setenv(EnvPath, path)
	require.ErrorContains(t, Available(), "not an executable file")
}

func TestRunUnknownExitCodeIsError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sieve-oracle")
	require.NoError(t, os.WriteFile(path, []byte("#!/bin/sh\necho 'setup broken' >&2\nexit 2\n"), 0o755))
	t.Setenv(EnvPath, path)
	_, err := Run(context.Background(), Request{Script: []byte("keep;\n"), Message: []byte("Subject: x\r\n\r\n")})
	require.ErrorContains(t, err, "exit code 2: setup broken")
}

type fakeTB struct{ skipped, failed bool }

func (*fakeTB) Helper()                 { /* nothing to mark */ }
func (f *fakeTB) Skipf(string, ...any)  { f.skipped = true }
func (f *fakeTB) Fatalf(string, ...any) { f.failed = true }

func TestRequireAvailableFailsInCI(t *testing.T) {
	t.Setenv(EnvPath, filepath.Join(t.TempDir(), "missing"))
	t.Setenv("CI", "1")
	var f fakeTB
	RequireAvailable(&f)
	require.True(t, f.failed)
	require.False(t, f.skipped)

	t.Setenv("CI", "")
	f = fakeTB{}
	RequireAvailable(&f)
	require.True(t, f.skipped)
	require.False(t, f.failed)
}

// The tests below run the real oracle.

func TestRunReport(t *testing.T) {
	RequireAvailable(t)
	t.Parallel()
	o, err := Run(context.Background(), Request{
		Script:  readTestdata(t, "mixed.sieve"),
		Message: readTestdata(t, "plain.eml"),
		From:    "x@medecin.mssante.fr",
		Rcpt:    "me@medecin.mssante.fr",
	})
	require.NoError(t, err, "stderr: %s", o.Stderr)
	require.Equal(t, ExitSuccess, o.ExitCode)
	require.Equal(t, []Action{
		{Kind: KindFileInto, Folder: "INBOX/Patients"},
		{Kind: KindRedirect, Target: "secretariat@esantepdl.mssante.fr", Copy: true},
		{Kind: KindRedirect, Target: "remplacant@medecin.mssante.fr"},
		{Kind: KindVacation},
	}, o.Actions)
	require.False(t, o.ImplicitKeep)
	require.Equal(t, "Je suis absent.\nDeuxième ligne", o.Vacation.Body)
	require.False(t, o.Vacation.Decided, "no -execute, no decision")
}

// TestRunPinsClock checks that Request.Now reaches Pigeonhole: a window
// written with a "+0200" offset opens at 22:00 UTC the day before.
func TestRunPinsClock(t *testing.T) {
	RequireAvailable(t)
	t.Parallel()
	script := []byte(`require ["date", "relational", "fileinto"];
if currentdate :zone "+0200" :value "ge" "date" "2026-07-01" { fileinto "Ete"; }
`)
	for _, tt := range []struct {
		now  string
		want []Action
		keep bool
	}{
		{now: "2026-06-30T21:59:59Z", keep: true},
		{now: "2026-06-30T22:00:00Z", want: []Action{{Kind: KindFileInto, Folder: "Ete"}}},
	} {
		now, err := time.Parse(time.RFC3339, tt.now)
		require.NoError(t, err)
		o, err := Run(context.Background(), Request{Script: script, Message: readTestdata(t, "plain.eml"), Now: now})
		require.NoError(t, err, "stderr: %s", o.Stderr)
		require.Equal(t, tt.want, o.Actions, tt.now)
		require.Equal(t, tt.keep, o.ImplicitKeep, tt.now)
	}
}

func TestRunExecuteDecision(t *testing.T) {
	RequireAvailable(t)
	t.Parallel()
	for _, tt := range []struct {
		msg, from string
		sent      bool
	}{
		{msg: "plain.eml", from: "x@medecin.mssante.fr", sent: true},
		{msg: "list.eml", from: "x@medecin.mssante.fr"},
		{msg: "plain.eml", from: "me@medecin.mssante.fr"},
	} {
		o, err := Run(context.Background(), Request{
			Script:  readTestdata(t, "vacation.sieve"),
			Message: readTestdata(t, tt.msg),
			From:    tt.from,
			Rcpt:    "me@medecin.mssante.fr",
			Execute: true,
		})
		require.NoError(t, err, "stderr: %s / %s", o.Stderr, o.ExecuteStderr)
		require.True(t, o.ImplicitKeep)
		require.True(t, o.Vacation.Decided)
		require.Equal(t, tt.sent, o.Vacation.Sent, "%s from %s: %s", tt.msg, tt.from, o.Vacation.Reason)
		if tt.sent {
			require.Equal(t, tt.from, o.Vacation.To)
		} else {
			require.NotEmpty(t, o.Vacation.Reason)
		}
	}
}

func TestRunFailures(t *testing.T) {
	RequireAvailable(t)
	t.Parallel()
	o, err := Run(context.Background(), Request{Script: readTestdata(t, "reject-fileinto.sieve"), Message: readTestdata(t, "plain.eml")})
	require.NoError(t, err)
	require.Equal(t, ExitRuntimeError, o.ExitCode)
	require.True(t, o.ImplicitKeep)
	require.Empty(t, o.Actions)
	require.Len(t, o.Errors, 1)

	o, err = Run(context.Background(), Request{Script: readTestdata(t, "compile-error.sieve"), Message: readTestdata(t, "plain.eml")})
	require.NoError(t, err)
	require.Equal(t, ExitCompileError, o.ExitCode)
	require.False(t, o.ImplicitKeep)
	require.Contains(t, o.Errors[0], "unknown command 'bogus'")
}
