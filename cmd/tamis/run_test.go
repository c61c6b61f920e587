package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const (
	pharmacyPolicy = "../../examples/pharmacie/pharmacie.rules"
	pharmacyMsgs   = "../../examples/pharmacie/messages/"
)

func TestRunText(t *testing.T) {
	code, out, errOut := cli(t, "", "run", "--policy", pharmacyPolicy, "--now", "2025-11-08T09:13:00+01:00",
		pharmacyMsgs+"patient-premier.eml")
	require.Equal(t, exitOK, code, errOut)
	require.Equal(t, fallbackNote+"\n", errOut)
	want := `../../examples/pharmacie/messages/patient-premier.eml  (from 179063155504283@patient.mssante.fr, to pharmacie.halles@pharmacien.mssante.fr, at Sat 2025-11-08 09:13 CET)
  flag ["$Patient"]
      why: rule "Messages des patients" (../../examples/pharmacie/pharmacie.rules:18:5): sender is patient (seen "179063155504283@patient.mssante.fr")
  file into "INBOX/Patients"
      why: rule "Messages des patients" (../../examples/pharmacie/pharmacie.rules:19:5): sender is patient (seen "179063155504283@patient.mssante.fr")
  reply to "179063155504283@patient.mssante.fr" subject "Pharmacie des Halles : message reçu"
      why: rule "Messages des patients" (../../examples/pharmacie/pharmacie.rules:20:5): sender is patient (seen "179063155504283@patient.mssante.fr")
      | Bonjour,
      |
      | Votre message a bien été reçu par la Pharmacie des Halles.
      | Un pharmacien vous répond sous 24 heures ouvrées.
      | Pour une urgence, appelez la pharmacie de garde (3237).
  did not act:
    rule "Fin d'échange" (../../examples/pharmacie/pharmacie.rules:7:1): subject contains "[FIN]" is false (seen "Disponibilité d’un médicament"); header "X-MSS-MES" is "FIN" is false
    rule "Ordonnances des prescripteurs" (../../examples/pharmacie/pharmacie.rules:32:1): not sender is patient is false (seen "179063155504283@patient.mssante.fr")
`
	require.Equal(t, want, out)
}

func TestRunJSONSchema(t *testing.T) {
	code, out, _ := cli(t, "", "run", "--format", "json", "--policy", pharmacyPolicy,
		"--now", "2025-11-08T09:13:00+01:00", pharmacyMsgs+"patient-premier.eml", pharmacyMsgs+"ordonnance.eml")
	require.Equal(t, exitOK, code)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 2, "one JSON object per message and per line")

	var first map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &first))
	for _, k := range []string{"message", "envelope", "actions", "implicit_keep", "kept", "refused", "reply", "reply_suppressed", "errors"} {
		require.Contains(t, first, k)
	}
	require.Equal(t, pharmacyMsgs+"patient-premier.eml", first["message"])
	require.Equal(t, false, first["implicit_keep"])
	actions := first["actions"].([]any)
	require.Len(t, actions, 3)
	flag := actions[0].(map[string]any)
	require.Equal(t, "flag", flag["action"])
	require.Equal(t, []any{"$Patient"}, flag["flags"])
	fileinto := actions[1].(map[string]any)
	require.Equal(t, "fileinto", fileinto["action"])
	require.Equal(t, "INBOX/Patients", fileinto["folder"])
	require.Equal(t, "Messages des patients", fileinto["rule"])
	require.Equal(t, []any{map[string]any{"condition": "sender is patient", "held": true,
		"position": "../../examples/pharmacie/pharmacie.rules:17:10", "values": []any{"179063155504283@patient.mssante.fr"}}}, fileinto["because"])
	explained := first["explanations"].([]any)
	require.Len(t, explained, 3, "every statement")
	require.Equal(t, map[string]any{"statement": "rule", "name": "Ordonnances des prescripteurs", "outcome": "not-applied",
		"position": "../../examples/pharmacie/pharmacie.rules:32:1", "conditions": []any{map[string]any{"condition": "not sender is patient",
			"held": false, "position": "../../examples/pharmacie/pharmacie.rules:35:9", "values": []any{"179063155504283@patient.mssante.fr"}}}},
		explained[2])
	reply := first["reply"].(map[string]any)
	require.Equal(t, "179063155504283@patient.mssante.fr", reply["to"])
	require.Equal(t, "Pharmacie des Halles : message reçu", reply["subject"])
	require.Contains(t, reply["raw"], "Auto-Submitted: auto-replied\r\n")
	require.Equal(t, []any{}, first["refused"])
	require.Equal(t, []any{}, first["errors"])

	var second jsonMessage
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &second))
	require.Nil(t, second.Reply)
	require.Equal(t, "INBOX/Ordonnances", second.Actions[1].Folder)
	require.Equal(t, "sophie.nguyen@medecin.mssante.fr", second.Envelope.From, "the envelope sender defaults to Return-Path")
}

func TestRunBadMessages(t *testing.T) {
	dir := t.TempDir()
	empty := writeFile(t, filepath.Join(dir, "vide.eml"), "")
	blank := writeFile(t, filepath.Join(dir, "blanc.eml"), "\n\n  \n")
	binary := writeFile(t, filepath.Join(dir, "scan.pdf"), "%PDF-1.4\x00\x01\x02binary")
	notMail := writeFile(t, filepath.Join(dir, "notes.txt"), "Liste des courses\npain\n")
	for _, tc := range []struct{ path, want string }{
		{empty, "vide.eml: empty message"},
		{blank, "blanc.eml: empty message"},
		{binary, "scan.pdf: binary file, not a mail message"},
		{notMail, "notes.txt: not a mail message: the first line is not a header field"},
	} {
		code, out, errOut := cli(t, "", "run", "--policy", pharmacyPolicy, tc.path)
		require.Equal(t, exitUsage, code, tc.path)
		require.Empty(t, out)
		requireOneLine(t, withoutNote(errOut), tc.want)
	}
	// In a batch, the good messages are still evaluated, the bad one is
	// reported on its own line, and the exit status says something failed.
	code, out, errOut := cli(t, "", "run", "--policy", pharmacyPolicy, "--format", "json", pharmacyMsgs+"ordonnance.eml", empty, pharmacyMsgs+"patient-fin.eml")
	require.Equal(t, exitUsage, code)
	require.Equal(t, 2, strings.Count(out, "\n"))
	requireOneLine(t, withoutNote(errOut), "vide.eml: empty message")
}

func TestRunPolicyWithErrors(t *testing.T) {
	code, out, errOut := cli(t, "", "run", "--policy", "testdata/broken.rules", pharmacyMsgs+"ordonnance.eml")
	require.Equal(t, exitUsage, code)
	require.Empty(t, out)
	require.Contains(t, errOut, "testdata/broken.rules:11:5: error: unknown keyword")
	require.True(t, strings.HasSuffix(errOut, "tamis run: testdata/broken.rules has errors; fix them first (see \"tamis check testdata/broken.rules\")\n"))
}

// sampleMessage returns a small message from sender with subject.
func sampleMessage(sender, subject string) string {
	return fmt.Sprintf("From: %s\nTo: pharmacie.halles@pharmacien.mssante.fr\nSubject: %s\nMessage-ID: <%s>\n\nBonjour\n", sender, subject, strings.ReplaceAll(subject, " ", "."))
}

func TestRunMaildirMboxAndOrder(t *testing.T) {
	dir := t.TempDir()
	patient := "179063155504283@patient.mssante.fr"
	// A Maildir: cur/ then new/, name order; tmp/ is ignored.
	md := filepath.Join(dir, "Maildir")
	for i := range 30 {
		writeFile(t, filepath.Join(md, "cur", fmt.Sprintf("%03d.eml", i)), sampleMessage("a.martin@medecin.mssante.fr", fmt.Sprintf("ordonnance %d", i)))
	}
	writeFile(t, filepath.Join(md, "new", "999.eml"), sampleMessage(patient, "question"))
	writeFile(t, filepath.Join(md, "tmp", "partial.eml"), "From: x")
	code, out, errOut := cli(t, "", "run", "--policy", pharmacyPolicy, "--format", "json", "--jobs", "4", md)
	require.Equal(t, exitOK, code, errOut)
	var names []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var m jsonMessage
		require.NoError(t, json.Unmarshal(sc.Bytes(), &m))
		names = append(names, filepath.Base(m.Message))
	}
	require.Len(t, names, 31)
	for i := range 30 {
		require.Equal(t, fmt.Sprintf("%03d.eml", i), names[i], "output in input order")
	}
	require.Equal(t, "999.eml", names[30])

	// An mbox: split on "From " lines, ">From " unquoted.
	mbox := writeFile(t, filepath.Join(dir, "archive.mbox"),
		"From a.martin@medecin.mssante.fr Sat Nov  8 09:00:00 2025\n"+sampleMessage("a.martin@medecin.mssante.fr", "ordonnance A")+">From the start\n\n"+
			"From "+patient+" Sat Nov  8 10:00:00 2025\n"+sampleMessage(patient, "question"))
	code, out, errOut = cli(t, "", "run", "--policy", pharmacyPolicy, "--now", "2025-11-08T10:00:00+01:00", mbox)
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "archive.mbox#1  (from a.martin@medecin.mssante.fr,")
	require.Contains(t, out, "archive.mbox#2  (from "+patient+",")
	require.Contains(t, out, `file into "INBOX/Ordonnances"`)
	require.Contains(t, out, `reply to "`+patient+`"`)
	require.Equal(t, 2, strings.Count(out, "archive.mbox#"))
}

func TestRunStateRemembersReplies(t *testing.T) {
	state := filepath.Join(t.TempDir(), "replies.state")
	args := []string{"run", "--policy", pharmacyPolicy, "--state", state, "--format", "json", "--now"}
	msg := pharmacyMsgs + "patient-premier.eml"
	_, out, errOut := cli(t, "", append(args, "2025-11-08T09:13:00+01:00", msg)...)
	var m jsonMessage
	require.NoError(t, json.Unmarshal([]byte(out), &m), errOut)
	require.NotNil(t, m.Reply, "first run: the patient gets the acknowledgement")

	_, out, _ = cli(t, "", append(args, "2025-11-08T15:00:00+01:00", msg)...)
	m = jsonMessage{}
	require.NoError(t, json.Unmarshal([]byte(out), &m))
	require.Nil(t, m.Reply, "second run the same day: the state file remembers the reply")
	require.Equal(t, "already-replied", m.Suppressed.Code)

	_, out, _ = cli(t, "", append(args, "2025-11-10T09:00:00+01:00", msg)...)
	m = jsonMessage{}
	require.NoError(t, json.Unmarshal([]byte(out), &m))
	require.NotNil(t, m.Reply, "after the one-day period, a new reply")
	_, err := os.Stat(state)
	require.NoError(t, err)
}

func TestRunUnreadableContentIsKept(t *testing.T) {
	p := writeFile(t, filepath.Join(t.TempDir(), "charset.eml"),
		"From: a.martin@medecin.mssante.fr\nTo: pharmacie.halles@pharmacien.mssante.fr\n"+
			"Subject: =?x-inconnu?Q?ordonnance?=\nContent-Type: text/plain; charset=x-inconnu\n\nordonnance\n")
	code, out, _ := cli(t, "", "run", "--policy", pharmacyPolicy, "--now", "2025-11-10T11:21:00+01:00", p)
	require.Equal(t, exitFound, code, "a condition not tested is reported in the exit status")
	require.Contains(t, out, "at Mon 2025-11-10 11:21 CET)\n", "times are shown in the policy's zone")
	require.Contains(t, out, "\n  keep (implicit): the message is stored in the inbox\n")
	require.Contains(t, out, "  NOT TESTED ")
	require.Contains(t, out, `charset "x-inconnu"`)
	require.NotContains(t, out, "INBOX/Ordonnances", "a condition on an unreadable value does not apply")
}

func TestRunWhyUnderNot(t *testing.T) {
	code, out, _ := cli(t, "", "run", "--policy", "../../examples/fermeture-horaires/horaires.rules",
		"--now", "2025-11-08T15:21:00+01:00", "../../examples/fermeture-horaires/messages/samedi-urgent.eml")
	require.Equal(t, exitOK, code)
	require.Contains(t, out, `(../../examples/fermeture-horaires/horaires.rules:24:5): not during mon-fri 08:00-19:00, sat 09:00-12:00 (seen "Sat 2025-11-08 15:21 CET"); subject contains "urgent" (seen "URGENT – sortie de M. Morel ce samedi")`+"\n")
	require.Contains(t, out, "  did not act:\n    vacation \"Pont de l'Ascension\" (../../examples/fermeture-horaires/horaires.rules:8:1): "+
		"outside the absence window from 2025-05-29 until 2025-06-01 (delivered Sat 2025-11-08 15:21 CET)\n", "why an absence block did not answer")
	require.NotContains(t, out, "always (no condition)", "a rule whose condition is a negation has a reason")
}

func TestRunTrace(t *testing.T) {
	args := []string{"run", "--trace", "--policy", "../../examples/cabinet-groupe/cabinet.rules", "--now", "2025-09-16T16:41:00+02:00",
		"../../examples/cabinet-groupe/messages/invitation-rcp.eml"}
	code, out, _ := cli(t, "", args...)
	require.Equal(t, exitOK, code)
	require.Contains(t, out, "  no rule applied\n  keep (implicit): the message is stored in the inbox\n  did not act:\n"+
		"    rule \"Redirection secrétariat\" (../../examples/cabinet-groupe/cabinet.rules:10:1): subject contains [\"ordonnance\", \"résultats\"] is false (seen \"Invitation à la RCP de cardiologie du jeudi\")\n")
	require.Contains(t, out, "  trace:\n")
	require.Contains(t, out, "    rule \"Redirection secrétariat\" at ../../examples/cabinet-groupe/cabinet.rules:10:1: not matched\n"+
		"        from is \"paul.girard@chu-nantes.mssante.fr\": true  (../../examples/cabinet-groupe/cabinet.rules:12:9)\n"+
		"        subject contains [\"ordonnance\", \"résultats\"]: false  (../../examples/cabinet-groupe/cabinet.rules:13:9)\n")

	code, out, _ = cli(t, "", append(args, "--format", "json")...)
	require.Equal(t, exitOK, code)
	var m jsonMessage
	require.NoError(t, json.Unmarshal([]byte(out), &m))
	require.Len(t, m.Trace, 3)
	require.Equal(t, "Redirection secrétariat", m.Trace[0].Name)
	require.False(t, m.Trace[0].Matched)
	require.Equal(t, []jsonCondition{
		{Condition: `from is "paul.girard@chu-nantes.mssante.fr"`, Position: "../../examples/cabinet-groupe/cabinet.rules:12:9", Value: true},
		{Condition: `subject contains ["ordonnance", "résultats"]`, Position: "../../examples/cabinet-groupe/cabinet.rules:13:9", Value: false},
	}, m.Trace[0].Conditions)

	// Without --trace, no trace field.
	noTrace := append([]string{"run"}, args[2:]...)
	_, out, _ = cli(t, "", append(noTrace, "--format", "json")...)
	require.NotContains(t, out, `"trace"`)
}
