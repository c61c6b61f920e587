package message

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

func parse(t *testing.T, raw string, opts Options) *Message {
	t.Helper()
	m, err := Parse([]byte(raw), opts)
	require.NoError(t, err)
	require.Equal(t, int64(len(raw)), m.Size())
	return m
}

// kinds returns the kinds of the problems of m.
func kinds(m *Message) []string {
	var ks []string
	for _, p := range m.Problems() {
		var pr *Problem
		if errors.As(p, &pr) {
			ks = append(ks, pr.Kind)
		}
	}
	return ks
}

func TestHeaderDecoding(t *testing.T) {
	tests := []struct {
		name, field string
		want        string
	}{
		{"utf-8 Q", "=?UTF-8?Q?R=C3=A9sultats_d=27analyses?=", "Résultats d'analyses"},
		{"iso-8859-1 Q", "=?ISO-8859-1?Q?Cong=E9s?=", "Congés"},
		{"lower-case charset and encoding", "=?iso-8859-1?q?Cong=E9s?=", "Congés"},
		{"B", "=?UTF-8?B?Q29tcHRlIHJlbmR1?=", "Compte rendu"},
		{"adjacent words joined", "=?UTF-8?Q?Cong=C3=A9s?=  =?UTF-8?Q?_d=27=C3=A9t=C3=A9?=", "Congés d'été"},
		{"word then text", "=?UTF-8?Q?Re=C3=A7u?= ce matin", "Reçu ce matin"},
		{"iso-8859-15 euro", "=?ISO-8859-15?Q?Prime_=A4?=", "Prime €"},
		{"windows-1252 oe", "=?windows-1252?Q?=9Cuvre?=", "œuvre"},
		{"latin1 read as windows-1252", "=?ISO-8859-1?Q?150_=80?=", "150 €"},
		{"charset alias latin1", "=?latin1?Q?Cong=E9s?=", "Congés"},
		{"charset alias utf8", "=?utf8?Q?Cong=C3=A9s?=", "Congés"},
		{"charset alias cp1252", "=?cp1252?Q?=80?=", "€"},
		{"RFC 2231 language", "=?UTF-8*fr?Q?Cong=C3=A9s?=", "Congés"},
		{"words without space", "=?UTF-8?Q?Cong?==?UTF-8?Q?=C3=A9s?=", "Congés"},
		{"malformed word kept", "=?UTF-8?Q?pas de fin", "=?UTF-8?Q?pas de fin"},
		{"bad base64 word kept", "=?UTF-8?B?@@@?=", "=?UTF-8?B?@@@?="},
		{"raw utf-8", "Résultats", "Résultats"},
		{"raw windows-1252", "Accus\xe9 \x80", "Accusé €"},
		{"folded", "Résultats\r\n d'analyses\r\n\tdu jour", "Résultats d'analyses\tdu jour"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := parse(t, "Subject: "+tt.field+"\r\n\r\nbody\r\n", Options{})
			require.Equal(t, []string{tt.want}, m.Header("subject"))
			require.Empty(t, m.Problems())
		})
	}
}

func TestHeaderUnknownCharset(t *testing.T) {
	m := parse(t, "Subject: =?x-martian?Q?Bonjour?= tout le monde\n\n", Options{})
	require.Equal(t, []string{"Bonjour tout le monde"}, m.Header("Subject"))
	require.Equal(t, []string{KindUnknownCharset}, kinds(m))
	require.Contains(t, m.Problems()[0].Error(), `"x-martian"`)
}

func TestHeaderLookup(t *testing.T) {
	m := parse(t, "Received: a\nX-MSS-MES: FIN\nreceived: b\nX-MSS-INS: O\n\n", Options{})
	require.Equal(t, []string{"a", "b"}, m.Header("RECEIVED"))
	require.Equal(t, []string{"FIN"}, m.Header("x-mss-mes"))
	require.Equal(t, []string{"O"}, m.Header("X-Mss-Ins"))
	require.Nil(t, m.Header("Subject"))
	require.Nil(t, m.Header(strings.Repeat("x", 100)))
	require.Equal(t, []Field{{"Received", "a"}, {"X-MSS-MES", "FIN"}, {"received", "b"}, {"X-MSS-INS", "O"}}, m.Fields())
}

func TestLineEnds(t *testing.T) {
	lf := "From: a@x.mssante.fr\nSubject: s\n\nline 1\nline 2\n"
	crlf := strings.ReplaceAll(lf, "\n", "\r\n")
	a, b := parse(t, lf, Options{}), parse(t, crlf, Options{})
	require.Equal(t, a.Fields(), b.Fields())
	require.Equal(t, []string{"line 1\nline 2\n"}, a.BodyText())
	require.Equal(t, a.BodyText(), b.BodyText())
}

func TestHeaderMalformed(t *testing.T) {
	tests := []struct {
		name   string
		raw    string
		fields []Field
		kinds  []string
	}{
		{"mbox From line skipped", "From a@b Thu Nov 26 08:00:00 2026\nSubject: s\n\n", []Field{{"Subject", "s"}}, nil},
		{"line without colon", "Subject: s\ngarbage\nTo: t\n\n", []Field{{"Subject", "s"}, {"To", "t"}}, []string{KindMalformedHeader}},
		{"leading continuation", " orphan\nSubject: s\n\n", []Field{{"Subject", "s"}}, []string{KindMalformedHeader}},
		{"space before colon", "Subject : s\n\n", []Field{{"Subject", "s"}}, nil},
		{"empty value", "Subject:\n\n", []Field{{"Subject", ""}}, nil},
		{"no body", "Subject: s", []Field{{"Subject", "s"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := parse(t, tt.raw, Options{})
			require.Equal(t, tt.fields, m.Fields())
			require.Equal(t, tt.kinds, kinds(m))
		})
	}
}

func TestMediaType(t *testing.T) {
	tests := []struct {
		name, contentType string
		want              string
		params            map[string]string
		kinds             []string
	}{
		{"absent", "", "text/plain", map[string]string{}, nil},
		{"mdn", "Multipart/Report; Report-Type=disposition-notification; boundary=b",
			"multipart/report", map[string]string{"report-type": "disposition-notification", "boundary": "b"}, nil},
		{"invalid", "Content-Type: ???\n", "text/plain", map[string]string{}, []string{KindMalformedMediaType}},
		{"duplicate parameter", "text/plain; charset=utf-8; charset=latin1",
			"text/plain", map[string]string{"charset": "utf-8"}, []string{KindMalformedMediaType}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := "Subject: s\n"
			if tt.contentType != "" {
				raw += "Content-Type: " + tt.contentType + "\n"
			}
			m := parse(t, raw+"\n--b--\n", Options{})
			mt, params := m.MediaType()
			require.Equal(t, tt.want, mt)
			require.Equal(t, tt.params, params)
			require.Equal(t, tt.kinds, kinds(m))
		})
	}
}

func TestBody(t *testing.T) {
	mp := func(parts ...string) string {
		return "Content-Type: multipart/mixed; boundary=b\n\npreamble\n--b\n" + strings.Join(parts, "\n--b\n") + "\n--b--\nepilogue\n"
	}
	tests := []struct {
		name  string
		raw   string
		texts []string
		kinds []string
	}{
		{"non-MIME", "Subject: s\n\nBonjour,\nà bientôt\n", []string{"Bonjour,\nà bientôt\n"}, nil},
		{"non-MIME windows-1252", "Subject: s\n\n150 \x80, \x9cuvre\n", []string{"150 €, œuvre\n"}, nil},
		{"quoted-printable", "Content-Transfer-Encoding: quoted-printable\nContent-Type: text/plain; charset=utf-8\n\nR=C3=A9sul=\ntats =3D ok=\n",
			[]string{"Résultats = ok"}, nil},
		{"qp invalid escape kept", "Content-Transfer-Encoding: quoted-printable\n\n100=ZZ %\n", []string{"100=ZZ %\n"}, nil},
		{"base64 windows-1252", "Content-Transfer-Encoding: base64\nContent-Type: text/plain; charset=windows-1252\n\nMTUwIIAgLSCc\ndXZyZQ==\n",
			[]string{"150 € - œuvre"}, nil},
		{"invalid base64", "Content-Transfer-Encoding: base64\n\nQm9u!am91cg==\n", []string{"Bonjour"}, []string{KindInvalidBase64}},
		{"invalid utf-8", "Content-Type: text/plain; charset=utf-8\n\nab\xffc\n", []string{"ab\uFFFDc\n"}, []string{KindInvalidUTF8}},
		{"unknown charset", "Content-Type: text/plain; charset=x-martian\n\nbonjour\n", []string{"bonjour\n"}, []string{KindUnknownCharset}},
		{"unknown encoding", "Content-Transfer-Encoding: x-uuencode\n\nabc\n", []string{"abc\n"}, []string{KindUnknownEncoding}},
		{"multipart", mp("Content-Type: text/plain\n\nun", "Content-Type: text/html\n\n<p>deux</p>"),
			[]string{"un", "deux "}, nil},
		{"default part type is text/plain", mp("\nsans en-tête"), []string{"sans en-tête"}, nil},
		{"attachments skipped", mp("Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0=",
			"Content-Type: text/plain\nContent-Disposition: attachment; filename=a.txt\n\npièce jointe", "\ncorps"),
			[]string{"corps"}, nil},
		{"empty part without header", mp("", "\nb"), []string{"", "b"}, nil},
		{"part header ended by a delimiter", "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n--b\n\nsuite\n--b--\n",
			[]string{"suite"}, nil},
		{"missing closing boundary", "Content-Type: multipart/mixed; boundary=b\n\n--b\n\ntexte\n", []string{"texte\n"}, []string{KindTruncatedMIME}},
		{"no delimiter at all", "Content-Type: multipart/mixed; boundary=b\n\ntexte\n", nil, []string{KindTruncatedMIME}},
		{"missing boundary parameter", "Content-Type: multipart/mixed\n\ntexte\n", []string{"texte\n"}, []string{KindMissingBoundary}},
		{"transport padding after delimiter", "Content-Type: multipart/mixed; boundary=b\n\n--b \t\n\nun\n--b-- \n", []string{"un"}, nil},
		{"boundary prefix is not a delimiter", "Content-Type: multipart/mixed; boundary=b\n\n--b\n\n--bb\n--b--\n", []string{"--bb"}, nil},
		{"nested", "Content-Type: multipart/mixed; boundary=o\n\n--o\nContent-Type: multipart/alternative; boundary=i\n\n--i\n\nun\n--i\n\ndeux\n--i--\n--o\n\ntrois\n--o--\n",
			[]string{"un", "deux", "trois"}, nil},
		{"inner closed by outer", "Content-Type: multipart/mixed; boundary=o\n\n--o\nContent-Type: multipart/alternative; boundary=i\n\n--i\n\nun\n--o\n\ndeux\n--o--\n",
			[]string{"un", "deux"}, []string{KindTruncatedMIME}},
		{"embedded message", "Content-Type: multipart/mixed; boundary=o\n\n--o\nContent-Type: message/rfc822\n\nSubject: x\nContent-Type: text/plain; charset=iso-8859-1\n\nd\xe9j\xe0\n--o--\n",
			[]string{"déjà"}, nil},
		{"digest defaults to message/rfc822", "Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: x\n\nun\n--d--\n",
			[]string{"un"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := parse(t, tt.raw, Options{})
			require.Equal(t, tt.texts, m.BodyText())
			require.Equal(t, tt.kinds, kinds(m))
		})
	}
}

// nestedMultipart returns a message with depth nested multiparts around
// one text part.
func nestedMultipart(depth int) string {
	var b strings.Builder
	b.WriteString("Subject: deep\n")
	for i := range depth {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n", i, i)
	}
	b.WriteString("\ntexte")
	for i := depth - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "\n--b%d--", i)
	}
	b.WriteString("\n")
	return b.String()
}

func TestLimits(t *testing.T) {
	t.Run("header bytes", func(t *testing.T) {
		raw := "Subject: s\nX-Long: " + strings.Repeat("a", 2000) + "\nTo: t\n\nbody\n"
		m := parse(t, raw, Options{MaxHeaderBytes: 1000})
		require.Equal(t, []Field{{"Subject", "s"}}, m.Fields())
		require.Equal(t, []string{"body\n"}, m.BodyText())
		require.Equal(t, []string{KindHeaderTooLarge}, kinds(m))
	})
	t.Run("header without end", func(t *testing.T) {
		raw := "Subject: s\n" + strings.Repeat("X", 1<<20)
		m := parse(t, raw, Options{MaxHeaderBytes: 1000})
		require.Equal(t, []Field{{"Subject", "s"}}, m.Fields())
		require.Equal(t, []string{KindHeaderTooLarge}, kinds(m))
	})
	t.Run("fields", func(t *testing.T) {
		m := parse(t, strings.Repeat("X-A: 1\n", 20)+"\nbody\n", Options{MaxHeaders: 5})
		require.Len(t, m.Header("x-a"), 5)
		require.Equal(t, []string{KindTooManyFields}, kinds(m))
	})
	t.Run("body bytes", func(t *testing.T) {
		m := parse(t, "Subject: s\n\nRésultats "+strings.Repeat("x", 100), Options{MaxBodyBytes: 10})
		require.Equal(t, []string{"Résultats"}, m.BodyText()) // not cut inside "é"… nor after
		require.Equal(t, []string{KindBodyTooLarge}, kinds(m))
	})
	t.Run("body bytes over parts", func(t *testing.T) {
		raw := "Content-Type: multipart/mixed; boundary=b\n\n--b\n\n123456\n--b\n\n789012\n--b\n\nxyz\n--b--\n"
		m := parse(t, raw, Options{MaxBodyBytes: 8})
		require.Equal(t, []string{"123456", "78"}, m.BodyText())
		require.Equal(t, []string{KindBodyTooLarge}, kinds(m))
	})
	t.Run("parts", func(t *testing.T) {
		raw := "Content-Type: multipart/mixed; boundary=b\n\n" + strings.Repeat("--b\n\np\n", 10) + "--b--\n"
		m := parse(t, raw, Options{MaxParts: 3})
		require.Equal(t, []string{"p", "p", "p"}, m.BodyText())
		require.Equal(t, []string{KindTooManyParts}, kinds(m))
	})
	t.Run("depth within", func(t *testing.T) {
		m := parse(t, nestedMultipart(3), Options{MaxDepth: 3})
		require.Equal(t, []string{"texte"}, m.BodyText())
		require.Empty(t, m.Problems())
	})
	t.Run("depth beyond", func(t *testing.T) {
		m := parse(t, nestedMultipart(4), Options{MaxDepth: 3})
		require.Empty(t, m.BodyText())
		require.Equal(t, []string{KindTooDeep}, kinds(m))
	})
	t.Run("problems are bounded", func(t *testing.T) {
		var b strings.Builder
		for i := range 500 {
			fmt.Fprintf(&b, "bad line %d\n", i)
		}
		m := parse(t, b.String()+"\n", Options{})
		require.Len(t, m.Problems(), maxProblems+1)
		require.Equal(t, KindTooManyProblems, kinds(m)[maxProblems])
	})
}

func TestReadErrors(t *testing.T) {
	_, err := Parse(nil, Options{})
	require.ErrorIs(t, err, ErrEmpty)
	boom := errors.New("disk on fire")
	_, err = Read(io.MultiReader(strings.NewReader("Subject: s\n\n"), iotestErrReader{boom}), Options{})
	require.ErrorIs(t, err, boom)
	require.ErrorContains(t, err, "read message")
}

type iotestErrReader struct{ err error }

func (r iotestErrReader) Read([]byte) (int, error) { return 0, r.err }

// bigReader yields a message with a PDF-like attachment of n bytes without
// holding it in memory.
type bigReader struct {
	head, tail string
	n, off     int64
}

func (r *bigReader) Read(p []byte) (int, error) {
	total := int64(len(r.head)) + r.n + int64(len(r.tail))
	if r.off >= total {
		return 0, io.EOF
	}
	i := 0
	for i < len(p) && r.off < total {
		switch {
		case r.off < int64(len(r.head)):
			p[i] = r.head[r.off]
		case r.off < int64(len(r.head))+r.n:
			p[i] = "QUJDRA=="[r.off%8]
			if r.off%77 == 76 {
				p[i] = '\n'
			}
		default:
			p[i] = r.tail[r.off-int64(len(r.head))-r.n]
		}
		i++
		r.off++
	}
	return i, nil
}

func TestReadLargeMessageInBoundedMemory(t *testing.T) {
	const size = 100 << 20
	r := &bigReader{
		head: "Subject: gros\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\ncorps\n--b\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n",
		tail: "\n--b--\n",
		n:    size,
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m, err := Read(r, Options{})
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	require.Equal(t, int64(len(r.head)+size+len(r.tail)), m.Size())
	require.Equal(t, []string{"corps"}, m.BodyText())
	require.Empty(t, m.Problems())
	if !raceEnabled {
		require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<20), "allocated while skipping a 100 MB attachment")
	}
}

func TestConcurrentUse(t *testing.T) {
	raw, err := os.ReadFile("testdata/typical.eml")
	require.NoError(t, err)
	m, err := Parse(raw, Options{})
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				require.Equal(t, "Résultats d'analyses", m.Header("Subject")[0])
				require.Equal(t, "dr.martin", m.Addresses("From")[0].Local)
				require.Len(t, m.Addresses("to"), 2)
				_ = m.BodyText()
			}
		})
	}
	wg.Wait()
}

func TestParseDoesNotKeepInput(t *testing.T) {
	raw := []byte("Subject: s\n\nbody\n")
	m, err := Parse(raw, Options{})
	require.NoError(t, err)
	copy(raw, bytes.Repeat([]byte("x"), len(raw)))
	require.Equal(t, []string{"s"}, m.Header("Subject"))
	require.Equal(t, []string{"body\n"}, m.BodyText())
}

func TestLookupsDoNotAllocate(t *testing.T) {
	raw, err := os.ReadFile("testdata/typical.eml")
	require.NoError(t, err)
	m, err := Parse(raw, Options{})
	require.NoError(t, err)
	long := strings.Repeat("X-Long-Name-", 10)
	allocs := testing.AllocsPerRun(100, func() {
		_ = m.Header("Subject")
		_ = m.Header("x-mss-ins")
		_ = m.Header(long)
		_ = m.Addresses("From")
		_ = m.Addresses("TO")
		_ = m.Addresses("Subject")
		_, _ = m.MediaType()
		_ = m.BodyText()
		_ = m.Fields()
		_ = m.Problems()
	})
	require.Zero(t, allocs)
}

func TestLongTextAcrossBufferRefills(t *testing.T) {
	var body strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&body, "ligne %04d du compte rendu\r\n", i)
	}
	long := strings.Repeat("é", lineBufferSize) // one line longer than the buffer
	raw := "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		body.String() + long + "\r\n--b--\r\n"
	m := parse(t, raw, Options{})
	require.Empty(t, m.Problems())
	require.Equal(t, []string{strings.ReplaceAll(body.String(), "\r\n", "\n") + long}, m.BodyText())
}

func TestMessageAddresses(t *testing.T) {
	m := parse(t, "From: \"Dr Martin\" <dr.martin@chu-nantes.mssante.fr>\n"+
		"To: a@x.mssante.fr\n"+
		"to: B <b@x.mssante.fr>\n"+
		"Resent-To: r@x.mssante.fr\n"+
		"Disposition-Notification-To: =?ISO-8859-1?Q?Secr=E9tariat?= <s@x.mssante.fr>\n"+
		"Return-Path: <>\n"+
		"Bcc: undisclosed-recipients:;\n"+
		"Cc: bad@@x, c@x.mssante.fr\n"+
		"Subject: d@x.mssante.fr\n\n", Options{})
	require.Equal(t, []Address{{"Dr Martin", "dr.martin", "chu-nantes.mssante.fr"}}, m.Addresses("from"))
	require.Equal(t, []Address{{"", "a", "x.mssante.fr"}, {"B", "b", "x.mssante.fr"}}, m.Addresses("To"))
	require.Equal(t, []Address{{"", "r", "x.mssante.fr"}}, m.Addresses("RESENT-TO"))
	require.Equal(t, []Address{{"Secrétariat", "s", "x.mssante.fr"}}, m.Addresses("Disposition-Notification-To"))
	require.Equal(t, []Address{{"", "c", "x.mssante.fr"}}, m.Addresses("Cc"))
	require.Nil(t, m.Addresses("Return-Path"))
	require.Nil(t, m.Addresses("Bcc"))
	require.Nil(t, m.Addresses("Subject"), "not an address field")
	require.Nil(t, m.Addresses("Reply-To"))
	require.Equal(t, []string{KindMalformedAddress}, kinds(m))
}

func TestReadLargeTextInBoundedMemory(t *testing.T) {
	const size = 50 << 20
	r := &bigReader{head: "Subject: gros\nContent-Type: text/plain\n\n", n: size}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m, err := Read(r, Options{})
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	require.Equal(t, int64(len(r.head)+size), m.Size())
	require.Len(t, m.BodyText(), 1)
	require.Len(t, m.BodyText()[0], int(DefaultMaxBodyBytes))
	require.Equal(t, []string{KindBodyTooLarge}, kinds(m))
	if !raceEnabled {
		require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(16<<20), "allocated while reading a 50 MB text body")
	}
}
