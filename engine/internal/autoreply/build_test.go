package autoreply

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var testDate = time.Date(2025, 12, 22, 9, 30, 0, 0, time.FixedZone("CET", 3600))

func testReply() Reply {
	return Reply{
		From:       "Cabinet des Lilas <" + mailbox + ">",
		To:         sender,
		Subject:    "Absence du cabinet",
		Body:       "Bonjour,\nLe cabinet est fermé du 20/12 au 05/01. En cas d'urgence, appelez le 15.\n",
		InReplyTo:  "<20251222.1@chu-nantes.mssante.fr>",
		References: []string{"<20251220.7@esantepdl.mssante.fr>"},
		Date:       testDate,
		MessageID:  "<reply.1@esantepdl.mssante.fr>",
	}
}

// parse reads a built reply back with net/mail, checking line ends and
// lengths on the way.
func parse(t *testing.T, raw []byte, maxLen int) *mail.Message {
	t.Helper()
	checkLines(t, raw, maxLen)
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	require.NoError(t, err)
	return m
}

// checkLines fails unless every line of raw ends in CRLF, no CR or LF
// stands alone, and header lines are at most maxLen long.
func checkLines(t testing.TB, raw []byte, maxLen int) {
	t.Helper()
	require.True(t, bytes.HasSuffix(raw, []byte("\r\n")), "ends with CRLF")
	lines := bytes.Split(raw[:len(raw)-2], []byte("\r\n"))
	inHeader := true
	for i, l := range lines {
		require.NotContains(t, string(l), "\r", "bare CR on line %d", i+1)
		require.NotContains(t, string(l), "\n", "bare LF on line %d", i+1)
		if len(l) == 0 {
			inHeader = false
		}
		if inHeader {
			require.LessOrEqual(t, len(l), maxLen, "header line %d: %q", i+1, l)
		} else {
			require.LessOrEqual(t, len(l), 76, "body line %d is quoted-printable", i+1)
		}
	}
}

func decodeHeader(t *testing.T, v string) string { return decodeHeaderTB(t, v) }

func decodeHeaderTB(t testing.TB, v string) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(v)
	require.NoError(t, err)
	return s
}

func decodeBody(t *testing.T, m *mail.Message) string {
	t.Helper()
	b, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	require.NoError(t, err)
	return string(b)
}

func TestBuild(t *testing.T) {
	r := testReply()
	raw, err := Build(r)
	require.NoError(t, err)
	m := parse(t, raw, 78)

	from, err := mail.ParseAddress(m.Header.Get("From"))
	require.NoError(t, err)
	require.Equal(t, "Cabinet des Lilas", from.Name)
	require.Equal(t, mailbox, from.Address)
	require.Equal(t, sender, m.Header.Get("To"))
	require.Equal(t, "Absence du cabinet", m.Header.Get("Subject"))
	date, err := m.Header.Date()
	require.NoError(t, err)
	require.True(t, date.Equal(testDate))
	require.Equal(t, "<reply.1@esantepdl.mssante.fr>", m.Header.Get("Message-ID"))
	require.Equal(t, "<20251222.1@chu-nantes.mssante.fr>", m.Header.Get("In-Reply-To"))
	require.Equal(t, "<20251220.7@esantepdl.mssante.fr> <20251222.1@chu-nantes.mssante.fr>", m.Header.Get("References"))
	require.Equal(t, "auto-replied", m.Header.Get("Auto-Submitted"))
	require.Equal(t, "1.0", m.Header.Get("MIME-Version"))
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	require.NoError(t, err)
	require.Equal(t, "text/plain", mt)
	require.Equal(t, map[string]string{"charset": "utf-8"}, params)
	require.Equal(t, "quoted-printable", m.Header.Get("Content-Transfer-Encoding"))
	require.Len(t, m.Header, 11, "no other field")

	require.Equal(t, strings.ReplaceAll(r.Body, "\n", "\r\n"), decodeBody(t, m))
	for _, c := range raw {
		require.Less(t, c, byte(0x80), "the reply is 7-bit")
	}
}

func TestBuildFrenchSubjects(t *testing.T) {
	for _, subject := range []string{
		"Congés",
		"Résultats d'analyses",
		"Auto: Résultats d'analyses",
		"Fermeture du cabinet pour congés d'hiver — du 20 décembre au 5 janvier, en cas d'urgence appelez le 15 ou le médecin de garde",
		"Ordonnance à renouveler : Mme Hélène Lefèvre-Dupré, née le 01/02/1950 (INS 2500175123456) — pharmacie de l'Hôtel-Dieu",
		"日本語の件名と絵文字 🩺🩺🩺🩺🩺🩺🩺🩺🩺🩺🩺🩺🩺🩺🩺🩺🩺🩺🩺🩺🩺🩺🩺🩺🩺🩺🩺🩺",
		"Congés  —  deux  espaces",
	} {
		t.Run(subject, func(t *testing.T) {
			r := testReply()
			r.Subject = subject
			raw, err := Build(r)
			require.NoError(t, err)
			m := parse(t, raw, 78)
			v := m.Header.Get("Subject")
			require.True(t, strings.HasPrefix(v, "=?utf-8?"), "encoded: %q", v)
			require.Equal(t, subject, decodeHeader(t, v))
		})
	}
}

func TestBuildPlainSubjects(t *testing.T) {
	for _, subject := range []string{
		"Absence",
		"Out of office until January 5th: for urgent matters call the on-call doctor, or the secretariat (02 40 00 00 00)",
		"two  spaces  kept and a long line that has to be folded somewhere near the end of it all",
		strings.Repeat("x", 100), // one long word: encoded, since it cannot be folded
		"looks like =?utf-8?q?an_encoded_word?= but is not",
		"tab\there",
	} {
		t.Run(subject, func(t *testing.T) {
			r := testReply()
			r.Subject = subject
			raw, err := Build(r)
			require.NoError(t, err)
			m := parse(t, raw, 78)
			require.Equal(t, subject, decodeHeader(t, m.Header.Get("Subject")))
		})
	}
}

func TestBuildFromDisplayNames(t *testing.T) {
	for _, tt := range []struct{ from, name string }{
		{mailbox, ""},
		{"<" + mailbox + ">", ""},
		{"Cabinet médical des Lilas <" + mailbox + ">", "Cabinet médical des Lilas"},
		{`"Dr Martin, cardiologue" <` + mailbox + ">", "Dr Martin, cardiologue"},
		{`"Dr \"Jo\" Martin" <` + mailbox + ">", `Dr "Jo" Martin`},
		{"Secrétariat du Centre hospitalier départemental Vendée — site de La Roche-sur-Yon <" + mailbox + ">",
			"Secrétariat du Centre hospitalier départemental Vendée — site de La Roche-sur-Yon"},
	} {
		t.Run(tt.from, func(t *testing.T) {
			r := testReply()
			r.From = tt.from
			raw, err := Build(r)
			require.NoError(t, err)
			m := parse(t, raw, 78)
			a, err := mail.ParseAddress(m.Header.Get("From"))
			require.NoError(t, err)
			require.Equal(t, tt.name, a.Name)
			require.Equal(t, mailbox, a.Address)
		})
	}
}

func TestBuildRefuses(t *testing.T) {
	for _, tt := range []struct {
		name, field string
		edit        func(*Reply)
	}{
		{"CRLF in subject", "Subject", func(r *Reply) { r.Subject = "Congés\r\nBcc: victime@gmail.com" }},
		{"LF in subject", "Subject", func(r *Reply) { r.Subject = "Congés\nBcc: victime@gmail.com" }},
		{"CR in subject", "Subject", func(r *Reply) { r.Subject = "Congés\rBcc: victime@gmail.com" }},
		{"NUL in subject", "Subject", func(r *Reply) { r.Subject = "Congés\x00" }},
		{"escape in subject", "Subject", func(r *Reply) { r.Subject = "Congés \x1b[2J" }},
		{"C1 control in subject", "Subject", func(r *Reply) { r.Subject = "Congés \u0085" }},
		{"invalid UTF-8 subject", "Subject", func(r *Reply) { r.Subject = "Cong\xe9s" }},
		{"empty subject", "Subject", func(r *Reply) { r.Subject = " " }},
		{"CRLF in from address", "From", func(r *Reply) { r.From = mailbox + "\r\nBcc: victime@gmail.com" }},
		{"CRLF in from name", "From", func(r *Reply) { r.From = "Cabinet\r\nBcc: victime@gmail.com <" + mailbox + ">" }},
		{"NUL in from", "From", func(r *Reply) { r.From = "Cabinet\x00 <" + mailbox + ">" }},
		{"two from addresses", "From", func(r *Reply) { r.From = mailbox + ", victime@gmail.com" }},
		{"from without address", "From", func(r *Reply) { r.From = "Cabinet des Lilas" }},
		{"from with half angle", "From", func(r *Reply) { r.From = "Cabinet " + mailbox + ">" }},
		{"empty from", "From", func(r *Reply) { r.From = "" }},
		{"long from name", "From", func(r *Reply) { r.From = strings.Repeat("é", 150) + " <" + mailbox + ">" }},
		{"CRLF in to", "To", func(r *Reply) { r.To = sender + "\r\nBcc: victime@gmail.com" }},
		{"LF in to", "To", func(r *Reply) { r.To = sender + "\nBcc: victime@gmail.com" }},
		{"two to addresses", "To", func(r *Reply) { r.To = sender + ",victime@gmail.com" }},
		{"to with display name", "To", func(r *Reply) { r.To = "Dr <" + sender + ">" }},
		{"to with quoted local part", "To", func(r *Reply) { r.To = `"dr martin"@chu-nantes.mssante.fr` }},
		{"empty to", "To", func(r *Reply) { r.To = "<>" }},
		{"non-ASCII to domain", "To", func(r *Reply) { r.To = "dr@chu-nantes.mssanté.fr" }},
		{"CRLF in message id", "MessageID", func(r *Reply) { r.MessageID = "<a@b>\r\nBcc: victime@gmail.com" }},
		{"message id without brackets", "MessageID", func(r *Reply) { r.MessageID = "a@b" }},
		{"empty body", "Body", func(r *Reply) { r.Body = "\n" }},
		{"invalid UTF-8 body", "Body", func(r *Reply) { r.Body = "Cong\xe9s" }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := testReply()
			tt.edit(&r)
			raw, err := Build(r)
			require.Nil(t, raw)
			var fe *FieldError
			require.True(t, errors.As(err, &fe), "want a *FieldError, got %v", err)
			require.Equal(t, tt.field, fe.Field)
			require.NotContains(t, err.Error(), "\n")
		})
	}
}

// TestBuildDropsBadIDs: In-Reply-To and References come from the incoming
// message; a bad id is dropped, the reply is still built.
func TestBuildDropsBadIDs(t *testing.T) {
	r := testReply()
	r.InReplyTo = "<a@b>\r\nBcc: victime@gmail.com"
	r.References = []string{"<ok.1@b>", "<x@y>\r\nX-Injected: 1", "<sp ace@b>", "no-brackets@b", "<ok.1@b>", "<ok.2@b>"}
	raw, err := Build(r)
	require.NoError(t, err)
	require.NotContains(t, string(raw), "victime")
	require.NotContains(t, string(raw), "Injected")
	m := parse(t, raw, 78)
	require.Empty(t, m.Header.Get("In-Reply-To"))
	require.Equal(t, "<ok.1@b> <ok.2@b>", m.Header.Get("References"))

	r = testReply()
	r.InReplyTo, r.References = "", nil
	raw, err = Build(r)
	require.NoError(t, err)
	m = parse(t, raw, 78)
	require.NotContains(t, m.Header, "In-Reply-To")
	require.NotContains(t, m.Header, "References")
}

func TestBuildReferencesBounded(t *testing.T) {
	r := testReply()
	r.References = nil
	for i := range 100 {
		r.References = append(r.References, "<"+strings.Repeat("r", 20)+string(rune('a'+i%26))+string(rune('a'+i/26))+"@chu-nantes.mssante.fr>")
	}
	raw, err := Build(r)
	require.NoError(t, err)
	m := parse(t, raw, 78)
	refs := MessageIDs(m.Header.Get("References"))
	require.Len(t, refs, maxReferences)
	require.Equal(t, r.References[0], refs[0], "the first is kept")
	require.Equal(t, r.References[99], refs[maxReferences-2])
	require.Equal(t, r.InReplyTo, refs[maxReferences-1], "the original message comes last")
}

func TestBuildReferencesAlreadyHoldInReplyTo(t *testing.T) {
	r := testReply()
	r.References = []string{"<x@y>", r.InReplyTo}
	raw, err := Build(r)
	require.NoError(t, err)
	m := parse(t, raw, 78)
	require.Equal(t, "<x@y> "+r.InReplyTo, m.Header.Get("References"))
}

func TestBuildDefaults(t *testing.T) {
	r := testReply()
	r.Date, r.MessageID = time.Time{}, ""
	before := time.Now().Add(-time.Second)
	raw1, err := Build(r)
	require.NoError(t, err)
	raw2, err := Build(r)
	require.NoError(t, err)
	m1, m2 := parse(t, raw1, 78), parse(t, raw2, 78)
	date, err := m1.Header.Date()
	require.NoError(t, err)
	require.True(t, date.After(before) && date.Before(time.Now().Add(time.Second)), "date is now: %v", date)
	id1, id2 := m1.Header.Get("Message-ID"), m2.Header.Get("Message-ID")
	require.True(t, validMessageID(id1), id1)
	require.True(t, strings.HasSuffix(id1, "@esantepdl.mssante.fr>"), "the id is in the From domain: %s", id1)
	require.NotEqual(t, id1, id2, "ids are random")
}

func TestBuildBodyLineEnds(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"a\nb", "a\r\nb\r\n"},
		{"a\r\nb\r\n", "a\r\nb\r\n"},
		{"a\rb\n\n", "a\r\nb\r\n\r\n"},
		{"ligne avec espace final \nsuite", "ligne avec espace final \r\nsuite\r\n"},
		{strings.Repeat("très long ", 40), strings.Repeat("très long ", 40) + "\r\n"},
		{".\nFrom here\n", ".\r\nFrom here\r\n"},
	} {
		r := testReply()
		r.Body = tt.in
		raw, err := Build(r)
		require.NoError(t, err)
		require.Equal(t, tt.want, decodeBody(t, parse(t, raw, 78)))
	}
}

func TestAutoSubject(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Résultats d'analyses", "Auto: Résultats d'analyses"},
		{"", "Automated reply"},
		{" \t ", "Automated reply"},
		{"  Congés  ", "Auto: Congés"},
		{"a\r\nBcc: victime@gmail.com", "Auto: a Bcc: victime@gmail.com"},
		{"a\x00b\x1bc", "Auto: a b c"},
		{"Auto: Congés", "Auto: Auto: Congés"},
	} {
		got := AutoSubject(tt.in)
		require.Equal(t, tt.want, got, tt.in)
		r := testReply()
		r.Subject = got
		_, err := Build(r)
		require.NoError(t, err, "Build accepts what AutoSubject returns")
	}
}

func TestMessageIDs(t *testing.T) {
	require.Equal(t, []string{"<a@b>", "<c.d@e.f>"}, MessageIDs(" <a@b>\r\n\t<c.d@e.f> (comment) <bad> <x y@z> <"))
	require.Nil(t, MessageIDs(""))
}

// TestBuildLeadingDots checks that no line of the encoded body starts with
// ".", so that a host writing the reply raw into SMTP DATA cannot have it
// cut short by a line holding only "." (or lose a dot), that lines stay
// within 76 characters, and that the body decodes to the text.
func TestBuildLeadingDots(t *testing.T) {
	long := strings.Repeat("é", 30) + strings.Repeat("x", 40)
	for _, body := range []string{
		".",
		"Bonjour,\n.\nLe cabinet est fermé.",
		".\r\n.\r\n..",
		"." + long + long,
		"x\n." + strings.Repeat("=", 100),
		strings.Repeat("a", 75) + "." + strings.Repeat("b", 80),
		"fin\n. \n.\t",
	} {
		raw, err := Build(Reply{From: mailbox, To: sender, Subject: "Absent", Body: body, Date: t0})
		require.NoError(t, err)
		_, encoded, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
		require.True(t, ok)
		for _, line := range strings.Split(string(encoded), "\r\n") {
			require.False(t, strings.HasPrefix(line, "."), "line %q of %q", line, body)
			require.LessOrEqual(t, len(line), 76, "line %q", line)
		}
		decoded, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(encoded)))
		require.NoError(t, err)
		require.Equal(t, crlfText(body), string(decoded))
	}
}

// t0 is a delivery time of the tests.
var t0 = time.Date(2025, 12, 22, 9, 0, 0, 0, time.UTC)
