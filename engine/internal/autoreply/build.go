package autoreply

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"mime/quotedprintable"
	"strings"
	"time"
	"unicode/utf8"
)

// Reply is an absence reply to build.
type Reply struct {
	// From is the reply's author: the mailbox or the policy's reply-from
	// address, as "local@domain", "<local@domain>" or
	// "Display Name <local@domain>" (the name may be UTF-8 and quoted).
	From string
	// To is the envelope sender of the original message: the only
	// recipient of the reply.
	To string
	// Subject is the final subject: the policy's, or AutoSubject of the
	// original one. Spaces and tabs around it are dropped.
	Subject string
	// Body is the text of the reply, UTF-8; line ends may be LF or CRLF.
	Body string
	// InReplyTo is the Message-ID of the original message ("<id@host>"),
	// "" if it had none.
	InReplyTo string
	// References are the message ids of the original References field (see
	// MessageIDs). Build appends InReplyTo to them.
	References []string
	// Date is the reply's date; zero means time.Now().
	Date time.Time
	// MessageID is the reply's Message-ID ("<id@host>"); "" means a random
	// one in the domain of From.
	MessageID string
}

// FieldError is the error of Build for a value it refuses.
type FieldError struct {
	// Field is the Reply field: "From", "To", "Subject", "Body" or
	// "MessageID".
	Field string
	// Problem says what is wrong, in English.
	Problem string
}

// Error returns "build absence reply: FIELD: PROBLEM".
func (e *FieldError) Error() string {
	return "build absence reply: " + e.Field + ": " + e.Problem
}

// Limits of the reply header.
const (
	maxLine       = 78  // RFC 5322 §2.1.1 SHOULD
	maxMessageID  = 250 // longer ids are dropped from References
	maxReferences = 32  // the first and the last 31 are kept
	maxNameLen    = 200 // bytes of a display name in From
)

// Build returns the reply message, ready to send with an empty envelope
// sender to r.To: RFC 5322 header fields From, To, Subject, Date,
// Message-ID, In-Reply-To, References, Auto-Submitted: auto-replied,
// MIME-Version, Content-Type: text/plain; charset=utf-8 and
// Content-Transfer-Encoding: quoted-printable, then the body. Every line
// ends in CRLF.
//
// The body is quoted-printable: the reply then passes any 7-bit relay
// unchanged, and long lines are wrapped without changing the text. No line
// of it starts with "." (a leading dot is written "=2E"), so a host that
// writes the bytes into SMTP DATA without dot-stuffing cannot end the
// message early. The
// subject and a non-ASCII display name are RFC 2047 encoded-words (UTF-8, Q
// or B, whichever is shorter) when they need to be; header lines are folded
// to 78 characters (a single long address or message id may exceed that,
// never 998).
//
// Build refuses, with a *FieldError, a From or To that is not a plain
// address, a Subject or display name with CR, LF, NUL or another control
// character (no header can be injected), an empty subject or body, invalid
// UTF-8, and a malformed MessageID. InReplyTo and References come from the
// incoming message: a malformed id there (line breaks included) is dropped,
// and the reply is still built.
func Build(r Reply) ([]byte, error) {
	fromName, fromAddr, err := parseFrom(r.From)
	if err != nil {
		return nil, err
	}
	to := stripAngles(r.To)
	if p := addressProblem(to); p != "" {
		return nil, &FieldError{"To", p}
	}
	if p := textProblem(r.Subject); p != "" {
		return nil, &FieldError{"Subject", p}
	}
	subject := strings.Trim(r.Subject, " \t")
	if subject == "" {
		return nil, &FieldError{"Subject", "empty (use AutoSubject for the \"Auto: \" form)"}
	}
	if !utf8.ValidString(r.Body) {
		return nil, &FieldError{"Body", "not valid UTF-8"}
	}
	if strings.TrimSpace(r.Body) == "" {
		return nil, &FieldError{"Body", "empty"}
	}
	msgID := r.MessageID
	if msgID == "" {
		_, domain, _ := splitAddress(fromAddr)
		msgID = "<" + rand.Text() + ".tamis@" + domain + ">"
	} else if !validMessageID(msgID) {
		return nil, &FieldError{"MessageID", fmt.Sprintf("%q is not a message id \"<left@right>\" of printable ASCII", msgID)}
	}
	date := r.Date
	if date.IsZero() {
		date = time.Now()
	}
	inReplyTo := strings.TrimSpace(r.InReplyTo)
	if !validMessageID(inReplyTo) {
		inReplyTo = ""
	}
	refs := references(r.References, inReplyTo)

	var h header
	h.b.Grow(512 + len(r.Body)*11/10)
	h.field("From", fromTokens(fromName, fromAddr))
	h.field("To", []string{to})
	h.unstructured("Subject", subject)
	h.field("Date", []string{date.Format(time.RFC1123Z)})
	h.field("Message-ID", []string{msgID})
	if inReplyTo != "" {
		h.field("In-Reply-To", []string{inReplyTo})
	}
	if len(refs) > 0 {
		h.field("References", refs)
	}
	h.field("Auto-Submitted", []string{"auto-replied"})
	h.field("MIME-Version", []string{"1.0"})
	h.field("Content-Type", []string{"text/plain;", "charset=utf-8"})
	h.field("Content-Transfer-Encoding", []string{"quoted-printable"})
	h.b.WriteString("\r\n")

	var body bytes.Buffer
	qp := quotedprintable.NewWriter(&body)
	qp.Write([]byte(crlfText(r.Body))) // writes to a bytes.Buffer do not fail
	qp.Close()
	h.b.Write(encodeLeadingDots(body.Bytes()))
	return h.b.Bytes(), nil
}

// encodeLeadingDots rewrites the lines of a quoted-printable body that
// start with "." so that they start with "=2E" (the same text once
// decoded): a host that writes the reply raw into SMTP DATA without
// dot-stuffing cannot have it cut short by a line holding only ".". A line
// made longer than 76 characters is broken with a soft line break, never
// inside an "=XX" escape.
func encodeLeadingDots(qp []byte) []byte {
	if !bytes.Contains(qp, []byte("\n.")) && (len(qp) == 0 || qp[0] != '.') {
		return qp
	}
	const maxQPLine = 76
	out := make([]byte, 0, len(qp)+16)
	for len(qp) > 0 {
		line := qp
		if i := bytes.Index(qp, []byte("\r\n")); i >= 0 {
			line, qp = qp[:i], qp[i+2:]
		} else {
			qp = nil
		}
		if !bytes.HasPrefix(line, []byte(".")) {
			out = append(append(out, line...), "\r\n"...)
			continue
		}
		soft := bytes.HasSuffix(line, []byte("="))
		text := line
		if soft {
			text = line[:len(line)-1]
		}
		text = append([]byte("=2E"), text[1:]...)
		for len(text)+boolInt(soft) > maxQPLine {
			cut := maxQPLine - 1 // room for the soft break "="
			switch {             // do not split an "=XX" escape
			case text[cut-1] == '=':
				cut--
			case text[cut-2] == '=':
				cut -= 2
			}
			out = append(append(out, text[:cut]...), "=\r\n"...)
			text = text[cut:]
			if text[0] == '.' {
				text = append([]byte("=2E"), text[1:]...)
			}
		}
		out = append(out, text...)
		if soft {
			out = append(out, '=')
		}
		out = append(out, "\r\n"...)
	}
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// AutoSubject returns the subject of a reply that has none of its own:
// "Auto: " and the original subject (RFC 5230 §4.6), or "Automated reply"
// when the original has none, as Pigeonhole does. The original comes from
// the sender: control characters in it (a decoded encoded-word may hold CR
// or LF) become spaces, and runs of white space one space, so the result is
// always accepted by Build.
func AutoSubject(original string) string {
	var b strings.Builder
	space := false
	for _, r := range original {
		if r < 0x20 || r == 0x7f || r == ' ' || r == utf8.RuneError || r >= 0x80 && r < 0xa0 {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	if b.Len() == 0 {
		return "Automated reply"
	}
	return "Auto: " + b.String()
}

// MessageIDs returns the well-formed message ids ("<left@right>") of a
// References or In-Reply-To value, in order; malformed ones are dropped.
func MessageIDs(value string) []string {
	var ids []string
	for {
		i := strings.IndexByte(value, '<')
		if i < 0 {
			return ids
		}
		value = value[i:]
		j := strings.IndexByte(value, '>')
		if j < 0 {
			return ids
		}
		if id := value[:j+1]; validMessageID(id) {
			ids = append(ids, id)
		}
		value = value[j+1:]
	}
}

// validMessageID reports whether id is "<left@right>" of printable ASCII
// without white space or angle brackets inside, at most maxMessageID long
// (RFC 5322 §3.6.4, read leniently: real ids are not always dot-atoms).
func validMessageID(id string) bool {
	if len(id) < len("<a@b>") || len(id) > maxMessageID || id[0] != '<' || id[len(id)-1] != '>' {
		return false
	}
	in := id[1 : len(id)-1]
	at := strings.LastIndexByte(in, '@')
	if at <= 0 || at == len(in)-1 {
		return false
	}
	for i := 0; i < len(in); i++ {
		if c := in[i]; c <= ' ' || c >= 0x7f || c == '<' || c == '>' {
			return false
		}
	}
	return true
}

// references returns the References of the reply: the original ones then
// the original Message-ID, malformed and repeated ids dropped, at most
// maxReferences (the first and the latest, as RFC 5322 §3.6.4 suggests).
func references(orig []string, inReplyTo string) []string {
	refs := make([]string, 0, len(orig)+1)
	seen := make(map[string]bool, len(orig)+1)
	for _, id := range append(orig[:len(orig):len(orig)], inReplyTo) {
		id = strings.TrimSpace(id)
		if validMessageID(id) && !seen[id] {
			seen[id] = true
			refs = append(refs, id)
		}
	}
	if len(refs) > maxReferences {
		refs = append(refs[:1], refs[len(refs)-maxReferences+1:]...)
	}
	return refs
}

// parseFrom reads From as "addr", "<addr>" or "Name <addr>".
func parseFrom(from string) (name, addr string, err error) {
	if p := textProblem(from); p != "" {
		return "", "", &FieldError{"From", p}
	}
	from = strings.TrimSpace(from)
	addr = from
	if strings.HasSuffix(from, ">") {
		i := strings.LastIndexByte(from, '<')
		if i < 0 {
			return "", "", &FieldError{"From", "'>' without '<'"}
		}
		name, addr = decodePhrase(from[:i]), from[i+1:len(from)-1]
	}
	if p := addressProblem(addr); p != "" {
		return "", "", &FieldError{"From", fmt.Sprintf("address %q: %s", addr, p)}
	}
	if len(name) > maxNameLen {
		return "", "", &FieldError{"From", fmt.Sprintf("display name longer than %d bytes", maxNameLen)}
	}
	return name, addr, nil
}

// textProblem returns why s cannot go into a header field, or "".
func textProblem(s string) string {
	if !utf8.ValidString(s) {
		return "not valid UTF-8"
	}
	for i, r := range s {
		switch {
		case r == '\r' || r == '\n':
			return fmt.Sprintf("contains a line break (CR or LF) at byte %d: header injection refused", i)
		case r == 0:
			return fmt.Sprintf("contains a NUL byte at byte %d", i)
		case r < 0x20 && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0:
			return fmt.Sprintf("contains the control character %U at byte %d", r, i)
		}
	}
	return ""
}

// fromTokens returns the tokens of a From value: the display name (plain,
// quoted or encoded) and the angle address.
func fromTokens(name, addr string) []string {
	if name == "" {
		return []string{addr}
	}
	var toks []string
	switch {
	case needsEncoding(name):
		toks = encodeWords(name, maxLine-len("From: "), true)
	case isPhrase(name):
		toks = strings.Fields(name)
	default:
		toks = []string{quoteString(name)}
	}
	return append(toks, "<"+addr+">")
}

// isPhrase reports whether name can be written as plain atoms.
func isPhrase(name string) bool {
	for i := 0; i < len(name); i++ {
		if c := name[i]; c != ' ' && !isAtext(c) {
			return false
		}
	}
	return true
}

// quoteString returns s as an RFC 5322 quoted-string.
func quoteString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

// crlfText returns s with every line end (CRLF, LF or CR) written CRLF and
// a final CRLF.
func crlfText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return strings.ReplaceAll(s, "\n", "\r\n")
}

// header writes header fields, folding lines.
type header struct {
	b    bytes.Buffer
	line int // length of the current line
}

// field writes "Name: tok tok…", folding before a token that would take
// the line past maxLine (never before the first one).
func (h *header) field(name string, tokens []string) {
	h.b.WriteString(name)
	h.b.WriteByte(':')
	h.line = len(name) + 1
	for i, t := range tokens {
		if i > 0 && h.line+1+len(t) > maxLine {
			h.b.WriteString("\r\n")
			h.line = 0
		}
		h.b.WriteByte(' ')
		h.b.WriteString(t)
		h.line += 1 + len(t)
	}
	h.b.WriteString("\r\n")
}

// unstructured writes an unstructured field (Subject): as is when it is
// plain ASCII that folds well, else as encoded-words.
func (h *header) unstructured(name, value string) {
	words := strings.Split(value, " ")
	plain := !needsEncoding(value)
	for i, w := range words {
		room := maxLine - 1
		if i == 0 {
			room = maxLine - len(name) - 2
		}
		if len(w) > room {
			plain = false
		}
	}
	if !plain {
		h.field(name, encodeWords(value, maxLine-len(name)-2, false))
		return
	}
	// Fold only at a single space between two words: readers such as
	// net/textproto trim the white space around a fold.
	h.b.WriteString(name)
	h.b.WriteByte(':')
	h.line = len(name) + 1
	for i, w := range words {
		if i > 0 && w != "" && words[i-1] != "" && h.line+1+len(w) > maxLine {
			h.b.WriteString("\r\n")
			h.line = 0
		}
		h.b.WriteByte(' ')
		h.b.WriteString(w)
		h.line += 1 + len(w)
	}
	h.b.WriteString("\r\n")
}

// needsEncoding reports whether s must be written as encoded-words:
// non-ASCII, a control character (tabs included: folding would lose them),
// or text that a reader would take for an encoded-word.
func needsEncoding(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return true
		}
	}
	return strings.Contains(s, "=?")
}
