package notice

import (
	"bytes"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"strings"
	"time"

	"github.com/tamis-mss/tamis/mssante"
)

// Notice is a notice ready to send: the host sends Bytes with an empty
// envelope sender (MAIL FROM:<>) to To. Its fields are unexported and Build
// is its only constructor, whose inputs hold nothing of the incoming
// message.
type Notice struct {
	to    Recipient
	from  string
	bytes []byte
}

// EnvelopeFrom is the envelope sender of every notice: "", the null sender
// <>, so that no bounce of a notice comes back into the mailbox.
func (n Notice) EnvelopeFrom() string { return "" }

// To returns the envelope recipient, the policy's notice address.
func (n Notice) To() string { return n.to.String() }

// From returns the From address of the notice: the mailbox.
func (n Notice) From() string { return n.from }

// Subject returns the notice's subject, the constant Subject.
func (n Notice) Subject() string { return Subject }

// Bytes returns a copy of the RFC 5322 message, CRLF line ends.
func (n Notice) Bytes() []byte { return bytes.Clone(n.bytes) }

// IsZero reports whether n is the zero Notice.
func (n Notice) IsZero() bool { return n.to.IsZero() }

// Build writes the notice from mailbox to to, dated date: header fields
// From (the mailbox), To, Subject (the constant Subject, RFC 2047 encoded),
// Date, Message-ID (a digest of these inputs, so the same inputs give the
// same bytes), Auto-Submitted: auto-notified, MIME-Version, Content-Type:
// text/plain; charset=utf-8, Content-Transfer-Encoding: quoted-printable;
// then text as the body. Every line ends in CRLF.
//
// It fails only when mailbox is not a plain address or to is zero.
func Build(to Recipient, text Text, mailbox string, date time.Time) (Notice, error) {
	if to.IsZero() {
		return Notice{}, errors.New("build notice: no recipient")
	}
	from, err := mssante.ParseAddress(strings.TrimSpace(mailbox))
	if err != nil {
		return Notice{}, fmt.Errorf("build notice: mailbox %q: %w", mailbox, err)
	}
	if text.s == "" {
		text = Default()
	}
	if date.IsZero() {
		date = time.Now()
	}
	sum := sha256.Sum256([]byte(from.String() + "\x00" + to.String() + "\x00" + date.UTC().Format(time.RFC3339Nano) + "\x00" + text.s))
	id := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:15]))

	var b bytes.Buffer
	field := func(name, value string) { b.WriteString(name + ": " + value + "\r\n") }
	field("From", from.String())
	field("To", to.String())
	field("Subject", strings.ReplaceAll(mime.QEncoding.Encode("utf-8", Subject), "?= =?", "?=\r\n =?"))
	field("Date", date.Format(time.RFC1123Z))
	field("Message-ID", "<"+id+".notice@"+from.Domain+">")
	field("Auto-Submitted", "auto-notified")
	field("MIME-Version", "1.0")
	field("Content-Type", "text/plain; charset=utf-8")
	field("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(crlf(text.s))) // writes to a bytes.Buffer do not fail
	qp.Close()
	return Notice{to: to, from: from.String(), bytes: b.Bytes()}, nil
}

// crlf returns s with every line end CRLF and a final line end.
func crlf(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return strings.ReplaceAll(s, "\n", "\r\n")
}
