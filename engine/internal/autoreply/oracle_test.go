package autoreply

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/internal/oracle"
)

// pigeonholeCodes maps Pigeonhole's explanations of a reply it did not send
// to our codes.
var pigeonholeCodes = []struct {
	re   *regexp.Regexp
	code string
}{
	{regexp.MustCompile(`reply to <>`), CodeNullSender},
	{regexp.MustCompile(`own address`), CodeOwnAddress},
	{regexp.MustCompile(`mailinglist`), CodeMailingList},
	{regexp.MustCompile(`auto-submitted message`), CodeAutoSubmitted},
	{regexp.MustCompile(`precedence`), CodePrecedence},
	{regexp.MustCompile(`system address`), CodeSystemSender},
	{regexp.MustCompile(`implicitly delivered`), CodeNotAddressed},
}

// TestCheckAgainstPigeonhole runs Dovecot Pigeonhole 0.5.19 (sieve-test
// -execute through internal/oracle) on the same messages as Check, and
// requires the same decision and cause, except where tamis differs on
// purpose: then it requires the difference, so that a change on either side
// is noticed. Pigeonhole cannot take an empty envelope sender, and has no
// trust space: those are tested in TestCheck only.
func TestCheckAgainstPigeonhole(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Pigeonhole")
	}
	oracle.RequireAvailable(t) // skips, or fails when CI is set
	const base = "From: Dr Martin <dr.martin@chu-nantes.mssante.fr>\r\n" +
		"To: Cabinet <" + mailbox + ">\r\n" +
		"Subject: =?utf-8?q?R=C3=A9sultats?=\r\n" +
		"Message-ID: <1@chu-nantes.mssante.fr>\r\n"
	const body = "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBonjour.\r\n"
	report := func(kind string) string {
		return "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=" + kind + "; boundary=b\r\n\r\n" +
			"--b\r\nContent-Type: text/plain\r\n\r\nNotification.\r\n--b--\r\n"
	}
	tests := []struct {
		name, from, header, body string
		differs                  string // why tamis decides otherwise; "" when it agrees
	}{
		{name: "clean"},
		{name: "Auto-Submitted auto-replied", header: "Auto-Submitted: auto-replied\r\n"},
		{name: "Auto-Submitted no", header: "Auto-Submitted: no\r\n"},
		{name: "Auto-Submitted no with parameter", header: "Auto-Submitted: no; by=x\r\n"},
		{name: "Auto-Submitted No", header: "Auto-Submitted: No\r\n"},
		{name: "Auto-Submitted no with spaces", header: "Auto-Submitted:   no  \r\n",
			differs: "tamis ignores the white space around the keyword (RFC 3834 allows it), Pigeonhole keeps the trailing spaces"},
		{name: "Auto-Submitted no with comment", header: "Auto-Submitted: no (human)\r\n"},
		{name: "List-Id", header: "List-Id: <cardio.chu-nantes.mssante.fr>\r\n"},
		{name: "List-Owner", header: "List-Owner: <mailto:owner-cardio@chu-nantes.mssante.fr>\r\n"},
		{name: "List-Foo", header: "List-Foo: x\r\n", differs: "tamis refuses any List-* field, Pigeonhole a fixed list"},
		{name: "Precedence bulk", header: "Precedence: bulk\r\n"},
		{name: "Precedence Junk", header: "Precedence: Junk\r\n"},
		{name: "MAILER-DAEMON", from: "MAILER-DAEMON@chu-nantes.mssante.fr"},
		{name: "majordomo", from: "Majordomo@chu-nantes.mssante.fr"},
		{name: "owner-", from: "owner-cardio@chu-nantes.mssante.fr"},
		{name: "Owner-", from: "Owner-cardio@chu-nantes.mssante.fr", differs: "tamis ignores case in system senders"},
		{name: "-request inside", from: "lab-requests@chu-nantes.mssante.fr"},
		{name: "-REQUEST", from: "cardio-REQUEST@chu-nantes.mssante.fr", differs: "tamis ignores case in system senders"},
		{name: "mailer-daemons", from: "mailer-daemons@chu-nantes.mssante.fr"},
		{name: "own address", from: strings.ToUpper(mailbox)},
		{name: "not addressed", header: "Cc: cardio@chu-nantes.mssante.fr\r\n"},
		{name: "MAILER-DAEMON auto-submitted bounce", from: "MAILER-DAEMON@chu-nantes.mssante.fr",
			header: "Auto-Submitted: auto-replied\r\n", body: report("delivery-status")},
		{name: "DSN", body: report("delivery-status"), differs: "Pigeonhole answers bounces"},
		{name: "MDN", body: report("disposition-notification"), differs: "Pigeonhole answers read receipts"},
		{name: "bare DSN", body: "MIME-Version: 1.0\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.chu-nantes.mssante.fr\r\n",
			differs: "Pigeonhole answers bounces"},
		{name: "bare MDN", body: "MIME-Version: 1.0\r\nContent-Type: message/disposition-notification\r\n\r\nDisposition: manual-action/MDN-sent-manually; displayed\r\n",
			differs: "Pigeonhole answers read receipts"},
	}
	script := []byte("require \"vacation\";\r\nvacation :days 7 \"Absent.\";\r\n")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			raw := base + tt.header + tt.body
			if tt.body == "" {
				raw += body
			}
			if tt.name == "not addressed" {
				raw = strings.Replace(raw, "To: Cabinet <"+mailbox+">", "To: cardio@chu-nantes.mssante.fr", 1)
			}
			from := tt.from
			if from == "" {
				from = sender
			}
			out, err := oracle.Run(context.Background(), oracle.Request{Script: script, Message: []byte(raw), From: from, Rcpt: mailbox, Execute: true})
			require.NoError(t, err, "stderr:\n%s\n%s", out.Stderr, out.ExecuteStderr)
			require.True(t, out.Vacation != nil && out.Vacation.Decided, "no vacation decision in Pigeonhole's output:\n%s", out.ExecuteStderr)
			theirs, found := "", out.Vacation.Sent
			for _, pc := range pigeonholeCodes {
				if !found && pc.re.MatchString(out.Vacation.Reason) {
					theirs, found = pc.code, true
				}
			}
			require.True(t, found, "unknown vacation decision in Pigeonhole's output: %q", out.Vacation.Reason)

			m, err := message.Parse([]byte(raw), message.DefaultOptions())
			require.NoError(t, err)
			ours := ""
			if s := Check(m, from, []string{mailbox}, trustedTest); s != nil {
				ours = s.Code
			}
			if tt.differs == "" {
				require.Equal(t, theirs, ours, "Pigeonhole: %q, tamis: %q", theirs, ours)
			} else {
				require.NotEqual(t, theirs, ours, "a documented difference (%s) no longer holds", tt.differs)
				t.Logf("deliberate difference (%s): Pigeonhole %q, tamis %q", tt.differs, theirs, ours)
			}
		})
	}
}
