package autoreply

import (
	"bytes"
	"errors"
	"io"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"

	"github.com/tamis-mss/tamis/engine/message"
)

// knownFields are the only header fields Build writes.
var knownFields = []string{"From", "To", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
	"Auto-Submitted", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"}

// FuzzBuild checks, for any input, that Build never panics, and that what it
// builds has CRLF line ends only, no field but the known ones, lines within
// 998 characters, and reads back (net/mail, RFC 2047, quoted-printable) to
// the subject and body it was given.
func FuzzBuild(f *testing.F) {
	r := testReply()
	f.Add(r.From, r.To, r.Subject, r.Body, r.InReplyTo, strings.Join(r.References, " "))
	f.Add("Cabinet médical <"+mailbox+">", sender, "Résultats d'analyses", "Bonjour\r\n", "<a@b>", "<c@d>")
	f.Add(mailbox, sender, "Congés\r\nBcc: victime@gmail.com", "x", "<a@b>\r\nX: y", "")
	f.Add(`"a\"b" <`+mailbox+">", sender, strings.Repeat("é", 100), strings.Repeat("=", 200), "", "<x@y>\n<z@w>")
	f.Add(mailbox, sender, "a  b\tc =?utf-8?q?x?=", ".\n.\r\n\r", "<a@b>", "")
	f.Fuzz(func(t *testing.T, from, to, subject, body, inReplyTo, refs string) {
		raw, err := Build(Reply{From: from, To: to, Subject: subject, Body: body,
			InReplyTo: inReplyTo, References: strings.Fields(refs), Date: testDate})
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error is not a *FieldError: %v", err)
			}
			return
		}
		checkReply(t, raw)
		m, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("net/mail cannot read the reply: %v\n%q", err, raw)
		}
		if got, want := decodeHeaderTB(t, m.Header.Get("Subject")), strings.Trim(subject, " \t"); got != want {
			t.Fatalf("subject %q reads back as %q\n%q", want, got, raw)
		}
		got, err := io.ReadAll(quotedprintable.NewReader(m.Body))
		if err != nil {
			t.Fatal(err)
		}
		if want := crlfText(body); string(got) != want {
			t.Fatalf("body %q reads back as %q", want, got)
		}
	})
}

// checkReply fails unless raw has CRLF line ends only, known header fields
// only, and lines of at most 998 characters.
func checkReply(t testing.TB, raw []byte) {
	t.Helper()
	head, _, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
	if !ok {
		t.Fatalf("no end of header: %q", raw)
	}
	if i := bytes.IndexAny(bytes.ReplaceAll(raw, []byte("\r\n"), nil), "\r\n"); i >= 0 {
		t.Fatalf("bare CR or LF: %q", raw)
	}
	for _, line := range strings.Split(string(head), "\r\n") {
		if len(line) > 998 {
			t.Fatalf("line longer than 998: %q", line)
		}
		if line[0] == ' ' {
			continue // folded
		}
		name, _, ok := strings.Cut(line, ":")
		if !ok || !contains(knownFields, name) {
			t.Fatalf("unknown header line %q in\n%s", line, head)
		}
	}
	for _, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 998 {
			t.Fatalf("line longer than 998: %q", line)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// FuzzCheck checks that Check never panics on any message and envelope
// sender, and that whatever it lets through has a plain sender address, no
// List-* field and no Auto-Submitted but "no".
func FuzzCheck(f *testing.F) {
	f.Add([]byte(rawClean), sender)
	f.Add([]byte("Auto-Submitted: auto-replied\r\nTo: "+mailbox+"\r\n\r\nx"), "MAILER-DAEMON@x.mssante.fr")
	f.Add([]byte("List-Id: x\r\nTo: "+mailbox+"\r\n\r\nx"), "<a@b.mssante.fr>")
	f.Add([]byte("Content-Type: multipart/report; report-type=delivery-status\r\nTo: "+mailbox+"\r\n\r\nx"), "a@b.mssante.fr\r\n")
	f.Fuzz(func(t *testing.T, raw []byte, from string) {
		m, err := message.Parse(raw, message.DefaultOptions())
		if err != nil {
			return
		}
		s := Check(m, from, own, trustedTest)
		if s != nil {
			if s.Code == "" || s.Reason == "" || strings.ContainsAny(s.Reason, "\r\n") {
				t.Fatalf("bad suppression %+v", s)
			}
			return
		}
		if p := addressProblem(stripAngles(from)); p != "" {
			t.Fatalf("reply allowed to an invalid sender %q: %s", from, p)
		}
		for _, f := range m.Fields() {
			if strings.HasPrefix(strings.ToLower(f.Name), "list-") {
				t.Fatalf("reply allowed with %s", f.Name)
			}
		}
		for _, v := range m.Header("Auto-Submitted") {
			if !strings.EqualFold(strings.TrimSpace(v), "no") {
				t.Fatalf("reply allowed with Auto-Submitted: %q", v)
			}
		}
	})
}
