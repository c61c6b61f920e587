package oracle

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The files testdata/NAME.out, NAME.err and NAME.rc are the stdout, stderr
// and exit code of real runs of Pigeonhole (0.5.19), captured from the
// .sieve and .eml inputs next to them by TestCapturesAreCurrent (see
// captures in capture_test.go); they are never edited by hand. The
// expectations below were checked against them.

// captured reads the three captured streams of the run NAME.
func captured(t *testing.T, name string) (stdout, stderr string, code int) {
	t.Helper()
	read := func(ext string) string {
		b, err := os.ReadFile(filepath.Join("testdata", name+ext))
		require.NoError(t, err)
		return string(b)
	}
	code, err := strconv.Atoi(strings.TrimSpace(read(".rc")))
	require.NoError(t, err)
	return read(".out"), read(".err"), code
}

func TestParseRunCaptured(t *testing.T) {
	vacation := &VacationOutcome{Seconds: 604800, Subject: "Absent", Body: "Je suis absent.", Handle: "Je suis absent.Absent<default-from><NO-MIME>"}
	tests := []struct {
		name     string
		code     int
		actions  []Action
		keep     bool
		vacation *VacationOutcome
		errors   int // how many error lines
		warnings int
	}{
		{name: "keep", actions: []Action{{Kind: KindKeep, Folder: "INBOX"}}},
		{name: "fileinto", actions: []Action{{Kind: KindFileInto, Folder: "Archives"}}},
		{name: "discard", actions: []Action{{Kind: KindDiscard}}},
		{name: "reject", actions: []Action{{Kind: KindReject, Reason: "Pas ici"}}},
		{name: "empty", keep: true},
		{name: "mixed",
			actions: []Action{
				{Kind: KindFileInto, Folder: "INBOX/Patients"},
				{Kind: KindRedirect, Target: "secretariat@esantepdl.mssante.fr", Copy: true},
				{Kind: KindRedirect, Target: "remplacant@medecin.mssante.fr"},
				{Kind: KindVacation},
			},
			vacation: &VacationOutcome{Seconds: 259200, Subject: "Absent", Handle: "h1", Body: "Je suis absent.\nDeuxième ligne"},
		},
		{name: "flags", warnings: 1,
			actions: []Action{
				{Kind: KindFileInto, Folder: "Archives", Copy: true, Flags: []string{`\flagged`}},
				{Kind: KindFileInto, Folder: "Autre", Flags: []string{"$Label"}},
				{Kind: KindVacation},
			},
			vacation: &VacationOutcome{Seconds: 86400, Subject: "Résumé", From: "me@medecin.mssante.fr", Handle: "xRésuméme@medecin.mssante.fr<NO-MIME>", Body: "x"},
		},
		{name: "vacation-default", keep: true,
			actions:  []Action{{Kind: KindVacation}},
			vacation: &VacationOutcome{Seconds: 604800, Handle: "<default-subject><default-from><NO-MIME>"},
		},
		{name: "vacation", keep: true, actions: []Action{{Kind: KindVacation}}, vacation: vacation},
		// Without :handle, Pigeonhole's handle is body, subject and from run
		// together, over several lines.
		{name: "vacation-multiline", keep: true, actions: []Action{{Kind: KindVacation}},
			vacation: &VacationOutcome{Seconds: 604800, Subject: "Absent", Body: "Bonjour,\n\nJe suis absent.\n",
				Handle: "Bonjour,\n\nJe suis absent.\nAbsent<default-from><NO-MIME>"},
		},
		{name: "reject-fileinto", code: ExitRuntimeError, keep: true, errors: 1},
		{name: "five-redirects", code: ExitRuntimeError, keep: true, errors: 1},
		{name: "compile-error", code: ExitCompileError, errors: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := captured(t, tt.name)
			require.Equal(t, tt.code, code, "captured exit code")
			o, err := parseRun(stdout, stderr, code)
			require.NoError(t, err)
			require.Equal(t, tt.code, o.ExitCode)
			require.Equal(t, tt.actions, o.Actions)
			require.Equal(t, tt.keep, o.ImplicitKeep, "implicit keep")
			require.Equal(t, tt.vacation, o.Vacation)
			require.Len(t, o.Errors, tt.errors, "errors: %q", o.Errors)
			require.Len(t, o.Warnings, tt.warnings, "warnings: %q", o.Warnings)
		})
	}
}

// A sequence of scripts (Request.Before): each script's part, and the
// whole.
func TestParseRunSequenceCaptured(t *testing.T) {
	copied := Action{Kind: KindRedirect, Target: "secretariat@esantepdl.mssante.fr", Copy: true}
	o, err := parseRun(captured(t, "sequence"))
	require.NoError(t, err)
	require.Equal(t, []ScriptOutcome{
		{Name: "before-1.sieve", Actions: []Action{copied}, ImplicitKeep: true},
		{Name: "before-2.sieve", ImplicitKeep: true, KeepFlags: []string{`\seen`}},
		{Name: "script.sieve", Actions: []Action{{Kind: KindFileInto, Folder: "Archives", Flags: []string{`\seen`}}}},
	}, o.Scripts)
	require.Equal(t, []Action{copied, {Kind: KindFileInto, Folder: "Archives", Flags: []string{`\seen`}}}, o.Actions)
	require.False(t, o.ImplicitKeep)

	// The discard ends the sequence: the main script does not run.
	o, err = parseRun(captured(t, "sequence-discard"))
	require.NoError(t, err)
	require.Equal(t, []string{"before-1.sieve", "before-2.sieve"}, []string{o.Scripts[0].Name, o.Scripts[1].Name})
	require.Len(t, o.Scripts, 2)
	require.Equal(t, []Action{copied, {Kind: KindDiscard}}, o.Actions)
	require.False(t, o.ImplicitKeep)

	// A report without a script header after one with actions is refused.
	stdout, _, _ := captured(t, "mixed")
	_, err = ParseReport(stdout + "\n## Executing script: later.sieve\n")
	require.ErrorContains(t, err, "a script header after a report without one")
}

func TestParseRunErrorsText(t *testing.T) {
	stdout, stderr, code := captured(t, "five-redirects")
	o, err := parseRun(stdout, stderr, code)
	require.NoError(t, err)
	require.Equal(t, []string{"script: line 1: error: number of redirect actions exceeds policy limit (5 > 4)."}, o.Errors)
	require.Equal(t, "exit 1\nimplicit keep\nerror: script: line 1: error: number of redirect actions exceeds policy limit (5 > 4).\n", o.Summary())
}

func TestDecisionCaptured(t *testing.T) {
	tests := []struct {
		name   string
		sent   bool
		to     string
		reason string // a fragment of the reason when not sent
		code   string // the tamis suppression code of the reason
	}{
		{name: "exec-sent", sent: true, to: "x@medecin.mssante.fr"},
		{name: "exec-auto-submitted", reason: "discarding vacation response to auto-submitted message from <x@medecin.mssante.fr>", code: "auto-submitted"},
		{name: "exec-list", reason: "discarding vacation response to mailinglist recipient", code: "mailing-list"},
		{name: "exec-not-addressed", reason: "no known (envelope) recipient address found in message headers", code: "not-addressed"},
		{name: "exec-own-address", reason: "discarded vacation reply to own address <me@medecin.mssante.fr>", code: "own-address"},
		{name: "exec-system-address", reason: "not sending vacation response to system address <MAILER-DAEMON@medecin.mssante.fr>", code: "system-sender"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The report comes from the run without -execute on the same
			// script, as Run does it.
			o, err := parseRun(captured(t, "vacation"))
			require.NoError(t, err)
			stdout, stderr, code := captured(t, tt.name)
			require.Equal(t, ExitSuccess, code)
			require.NoError(t, addDecision(&o, stdout, stderr, code))
			v := o.Vacation
			require.True(t, v.Decided)
			require.Equal(t, tt.sent, v.Sent)
			require.Equal(t, tt.to, v.To)
			if tt.sent {
				require.Empty(t, v.Reason)
				require.Contains(t, o.Summary(), "vacation sent to x@medecin.mssante.fr\n")
			} else {
				require.Contains(t, v.Reason, tt.reason)
				require.Equal(t, tt.code, v.SuppressionCode())
				require.False(t, strings.HasSuffix(v.Reason, "."), "final period kept: %q", v.Reason)
				require.Contains(t, o.Summary(), "vacation suppressed: "+v.Reason+"\n")
			}
		})
	}
}

func TestSuppressionCodeUnknownReason(t *testing.T) {
	v := &VacationOutcome{Reason: "some new explanation"}
	require.Equal(t, "other: some new explanation", v.SuppressionCode())
}

func TestDecisionMissing(t *testing.T) {
	// fileinto "Archives" fails in the throw-away maildir before the vacation
	// action runs, so the -execute run decides nothing: that must be an
	// error, not a silently undecided reply.
	o, err := parseRun(captured(t, "vacation"))
	require.NoError(t, err)
	stdout, stderr, code := captured(t, "exec-fileinto-fails")
	require.Equal(t, ExitRuntimeError, code)
	err = addDecision(&o, stdout, stderr, code)
	require.ErrorContains(t, err, "no vacation decision")
	require.False(t, o.Vacation.Decided)
}

func TestParseReportRejectsUnknownLines(t *testing.T) {
	stdout, _, _ := captured(t, "mixed")
	for _, tt := range []struct{ name, from, to, want string }{
		{"unknown action", " * store message in folder: INBOX/Patients", " * notify", "unknown action"},
		{"unknown modifier", "        + preserve implicit keep", "        + create mailbox", "unknown action modifier"},
		{"unknown vacation setting", "    => handle  : h1", "    => addresses : x", "unknown vacation setting"},
		{"bad seconds", "    => seconds : 259200", "    => seconds : many", "vacation seconds"},
		{"stray text", "Implicit keep:", "Implicit keep:\nsomething else", "unexpected line"},
		{"unterminated body", "END MESSAGE", "", "without END MESSAGE"},
		{"no keep section", "Implicit keep:", "", "no \"Implicit keep:\" section"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			require.Contains(t, stdout, tt.from)
			_, err := ParseReport(strings.Replace(stdout, tt.from, tt.to, 1))
			require.ErrorContains(t, err, tt.want)
		})
	}
}

func TestParseReportEmpty(t *testing.T) {
	o, err := ParseReport("")
	require.NoError(t, err)
	require.Empty(t, o.Actions)
	require.False(t, o.ImplicitKeep)
}

func TestParseRunUnknownExitCode(t *testing.T) {
	_, err := parseRun("", "doveconf: Fatal: Error in configuration file dovecot.conf line 1: Unknown setting: x\n", 78)
	require.ErrorContains(t, err, "exit code 78: doveconf: Fatal: Error in configuration file")
}

func TestParseDecisionNone(t *testing.T) {
	_, stderr, _ := captured(t, "keep")
	_, ok := ParseDecision(stderr)
	require.False(t, ok)
}

func TestActionString(t *testing.T) {
	require.Equal(t, `redirect "a@medecin.mssante.fr" :copy`, Action{Kind: KindRedirect, Target: "a@medecin.mssante.fr", Copy: true}.String())
	require.Equal(t, `fileinto "Archives" flags ["\\flagged"]`, Action{Kind: KindFileInto, Folder: "Archives", Flags: []string{`\flagged`}}.String())
	require.Equal(t, `reject "Pas ici"`, Action{Kind: KindReject, Reason: "Pas ici"}.String())
	require.Equal(t, "discard", Action{Kind: KindDiscard}.String())
}

func TestParseSentReplyCaptured(t *testing.T) {
	tests := []struct {
		name string
		want *SentReply
	}{
		{"exec-sent", &SentReply{From: "me@medecin.mssante.fr", To: "x@medecin.mssante.fr", Subject: "Absent",
			InReplyTo: "<a@b>", References: "<a@b>", Body: "Je suis absent."}},
		// Without :subject, Pigeonhole answers "Auto: " and the decoded
		// original subject, which it encodes again.
		{"exec-default-subject", &SentReply{From: "me@medecin.mssante.fr", To: "x@medecin.mssante.fr", Subject: "Auto: Résultats d'analyse",
			InReplyTo: "<resultats-0001@medecin.mssante.fr>", References: "<demande-0001@medecin.mssante.fr> <resultats-0001@medecin.mssante.fr>",
			Body: "Je suis absent."}},
		// The redirected copy is printed first; the reply is the second message.
		{"exec-redirect-and-vacation", &SentReply{From: "me@medecin.mssante.fr", To: "x@medecin.mssante.fr", Subject: "Absent",
			InReplyTo: "<a@b>", References: "<a@b>", Body: "Je suis absent.\nRetour le 15."}},
		{"exec-list", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, _, _ := captured(t, tt.name)
			got, err := ParseSentReply(stdout)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestAddDecisionReadsSentReply(t *testing.T) {
	o, err := parseRun(captured(t, "vacation"))
	require.NoError(t, err)
	stdout, stderr, code := captured(t, "exec-sent")
	require.NoError(t, addDecision(&o, stdout, stderr, code))
	require.NotNil(t, o.Vacation.Reply)
	require.Equal(t, "Absent", o.Vacation.Reply.Subject)

	// A reply logged as sent but not printed is an error, not a silent pass.
	o, err = parseRun(captured(t, "vacation"))
	require.NoError(t, err)
	require.ErrorIs(t, addDecision(&o, "", stderr, code), errNoSentReply)
}
