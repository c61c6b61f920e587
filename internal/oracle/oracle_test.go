package oracle

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

func TestSafeFolder(t *testing.T) {
	for name, want := range map[string]bool{
		"Archives": true, "INBOX/Patients": true, "Résultats d'analyse": true,
		"": false, "/etc": false, "../x": false, "a/../b": false, "a//b": false, "./a": false, `a\b`: false, "a\x00": false,
	} {
		require.Equal(t, want, safeFolder(name), "%q", name)
	}
}

// Run reports sieve-test missing from PATH as an error that names the
// install command.
func TestRunWithoutSieveTest(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Run(context.Background(), Request{Script: []byte("keep;\n"), Message: []byte("Subject: x\r\n\r\n")})
	require.ErrorContains(t, err, Install)
}

// The tests below run Pigeonhole.

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
	require.Nil(t, o.Scripts, "one script, no sequence")
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
		{now: "2031-01-01T00:00:00Z", want: []Action{{Kind: KindFileInto, Folder: "Ete"}}},
		{now: "2019-12-31T23:59:59Z", keep: true},
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

// With -execute the folders of fileinto are created in the throw-away
// maildir, so that the stores succeed and the absence reply is decided.
func TestRunExecuteFileIntoFolders(t *testing.T) {
	RequireAvailable(t)
	t.Parallel()
	script := []byte("require [\"fileinto\", \"vacation\"];\r\nfileinto \"Archives\";\r\nfileinto \"INBOX/Patients\";\r\n" +
		"fileinto \"Résultats d'analyse\";\r\nvacation :subject \"Absent\" \"Je suis absent.\";\r\n")
	o, err := Run(context.Background(), Request{Script: script, Message: readTestdata(t, "plain.eml"),
		From: "x@medecin.mssante.fr", Rcpt: "me@medecin.mssante.fr", Execute: true, Now: time.Date(2025, 1, 7, 10, 0, 0, 0, time.UTC)})
	require.NoError(t, err, "stderr: %s", o.ExecuteStderr)
	require.True(t, o.Vacation.Sent, o.ExecuteStderr)
	for _, f := range []string{"Archives", "INBOX/Patients", "Résultats d'analyse"} {
		require.Contains(t, o.ExecuteStderr, "stored mail into mailbox '"+f+"'")
	}
	require.Equal(t, "Absent", o.Vacation.Reply.Subject)
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

// TestRunSequence runs scripts before the main one (sieve_before): each
// sees the actions of the previous ones, and the sequence ends after the
// first script that cancels the implicit keep.
func TestRunSequence(t *testing.T) {
	RequireAvailable(t)
	t.Parallel()
	copyTo := []byte("require \"copy\";\r\nredirect :copy \"secretariat@esantepdl.mssante.fr\";\r\n")
	flagStop := []byte("require \"imap4flags\";\r\naddflag \"\\\\Seen\";\r\nstop;\r\n")
	discard := []byte("discard;\r\n")
	main := []byte("require \"fileinto\";\r\nfileinto \"Archives\";\r\n")
	run := func(before ...[]byte) Outcome {
		t.Helper()
		o, err := Run(context.Background(), Request{Before: before, Script: main, Message: readTestdata(t, "plain.eml"),
			From: "x@medecin.mssante.fr", Rcpt: "me@medecin.mssante.fr", Execute: true})
		require.NoError(t, err, "stdout:\n%s\nstderr:\n%s", o.Stdout, o.Stderr)
		require.Equal(t, ExitSuccess, o.ExitCode)
		return o
	}

	// "stop" ends only its script; the flag set before applies to the
	// main script's store.
	o := run(copyTo, flagStop)
	require.Equal(t, []ScriptOutcome{
		{Name: "before-1.sieve", Actions: []Action{{Kind: KindRedirect, Target: "secretariat@esantepdl.mssante.fr", Copy: true}}, ImplicitKeep: true},
		{Name: "before-2.sieve", ImplicitKeep: true, KeepFlags: []string{`\seen`}},
		{Name: "script.sieve", Actions: []Action{{Kind: KindFileInto, Folder: "Archives", Flags: []string{`\seen`}}}},
	}, o.Scripts)
	require.Equal(t, []Action{
		{Kind: KindRedirect, Target: "secretariat@esantepdl.mssante.fr", Copy: true},
		{Kind: KindFileInto, Folder: "Archives", Flags: []string{`\seen`}},
	}, o.Actions)
	require.False(t, o.ImplicitKeep)

	// A discard cancels the implicit keep: the main script does not run.
	o = run(copyTo, discard)
	require.Len(t, o.Scripts, 2)
	require.Equal(t, "before-2.sieve", o.Scripts[1].Name)
	require.Equal(t, []Action{
		{Kind: KindRedirect, Target: "secretariat@esantepdl.mssante.fr", Copy: true},
		{Kind: KindDiscard},
	}, o.Actions)
	require.False(t, o.ImplicitKeep)
}

// TestRunLeavesNoFakeTimeState checks that the shared memory libfaketime
// creates for a run with a pinned clock is removed after it.
func TestRunLeavesNoFakeTimeState(t *testing.T) {
	RequireAvailable(t)
	w, err := newWorkdir(Request{Script: []byte("keep;\n"), Message: readTestdata(t, "plain.eml"), Now: time.Date(2025, 1, 7, 10, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	defer w.remove()
	res, err := w.run(context.Background(), false)
	require.NoError(t, err)
	require.Equal(t, ExitSuccess, res.code, res.stderr)
	require.NotZero(t, res.pid)
	for _, f := range []string{"faketime_shm_", "sem.faketime_sem_"} {
		_, err := os.Stat(filepath.Join("/dev/shm", f+strconv.Itoa(res.pid)))
		require.ErrorIs(t, err, os.ErrNotExist, "%s%d left behind", f, res.pid)
	}
}

// The settings sieve-test reads are computed once by doveconf and passed in
// the environment, so that each run skips doveconf.
func TestSettingsFromDoveconf(t *testing.T) {
	RequireAvailable(t)
	w, err := newWorkdir(Request{Script: []byte("keep;\n"), Message: readTestdata(t, "plain.eml")})
	require.NoError(t, err)
	defer w.remove()
	env := w.settings(context.Background())
	require.Contains(t, env, "DOVECONF_ENV=1")
	require.Contains(t, env, "MAIL_LOCATION=maildir:~/mail:LAYOUT=fs:UTF-8")
	require.Contains(t, env, "IMPORT_ENVIRONMENT=TZ LD_PRELOAD FAKETIME FAKETIME_NO_CACHE")
}
