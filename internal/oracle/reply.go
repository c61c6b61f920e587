package oracle

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"strings"
)

// SentReply is the absence reply Pigeonhole sent in a -execute run, read
// from the messages sieve-test prints on stdout.
type SentReply struct {
	// From and To are the addresses of the reply's From and To fields,
	// without display names.
	From, To string
	// FromName is the display name of the From field, decoded from RFC
	// 2047 and unquoted; "" when there is none.
	FromName string
	// Subject is the decoded Subject field.
	Subject string
	// InReplyTo and References are the fields as written, unfolded.
	InReplyTo, References string
	// Body is the text, with "\n" line ends.
	Body string
}

// ParseSentReply finds the absence reply among the messages a -execute run
// printed (redirected copies are printed too) and reads it. It returns nil
// and no error when there is none.
func ParseSentReply(stdout string) (*SentReply, error) {
	text := strings.ReplaceAll(stdout, "\r\n", "\n")
	// Every message sieve-test prints starts with its X-Sieve field.
	for block := range strings.SplitSeq(text, "X-Sieve: ") {
		head, _, _ := strings.Cut(block, "\n\n")
		if !strings.Contains(head, "\nAuto-Submitted: auto-replied") {
			continue
		}
		// After the message come the "RECIPIENT:" lines of the run.
		if i := strings.Index(block, "\nRECIPIENT: "); i >= 0 {
			block = block[:i+1]
		}
		m, err := mail.ReadMessage(strings.NewReader("X-Sieve: " + block))
		if err != nil {
			return nil, fmt.Errorf("oracle: read the absence reply: %w", err)
		}
		body, err := io.ReadAll(m.Body)
		if err != nil {
			return nil, fmt.Errorf("oracle: read the absence reply: %w", err)
		}
		r := &SentReply{
			InReplyTo:  m.Header.Get("In-Reply-To"),
			References: strings.Join(strings.Fields(m.Header.Get("References")), " "),
			Body:       strings.TrimRight(string(body), "\n"),
		}
		var dec mime.WordDecoder
		if r.Subject, err = dec.DecodeHeader(m.Header.Get("Subject")); err != nil {
			return nil, fmt.Errorf("oracle: absence reply subject: %w", err)
		}
		for _, f := range []struct {
			name string
			dst  *string
		}{{"From", &r.From}, {"To", &r.To}} {
			a, err := mail.ParseAddress(m.Header.Get(f.name))
			if err != nil {
				return nil, fmt.Errorf("oracle: absence reply %s: %w", f.name, err)
			}
			*f.dst = a.Address
			if f.name == "From" {
				r.FromName = a.Name
			}
		}
		return r, nil
	}
	return nil, nil
}

// errNoSentReply is reported when a reply was logged as sent but not printed.
var errNoSentReply = errors.New("sieve-test -execute: a reply was logged as sent but none was printed")
