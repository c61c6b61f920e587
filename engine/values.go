package engine

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tamis-mss/tamis/engine/internal/autoreply"
	"github.com/tamis-mss/tamis/mssante"
	"github.com/tamis-mss/tamis/rules"
)

// Limits of the values a policy hands to the host.
const (
	// MaxFolderLen is the longest folder name, in bytes.
	MaxFolderLen = 512
	// MaxFolderSegmentLen is the longest segment of a folder name (between
	// two "/"), in bytes: a file name on most file systems.
	MaxFolderSegmentLen = 255
	// MaxReasonLen is the longest reject reason, in bytes, so that a host
	// can put it in one SMTP reply line (512 bytes with the code).
	MaxReasonLen = 400
)

// folderProblem returns why name is not a safe folder name, or "". A
// folder name is one or more segments separated by "/", each non-empty,
// neither "." nor "..", not starting with "~", without control
// characters or backslashes; Unicode letters are allowed. A host may then
// build an IMAP name or a Maildir path from it without escaping the
// mailbox.
func folderProblem(name string) string {
	switch {
	case strings.TrimSpace(name) == "":
		return "is empty"
	case len(name) > MaxFolderLen:
		return fmt.Sprintf("is %d bytes long, more than %d", len(name), MaxFolderLen)
	case name[0] == '/':
		return "is an absolute path"
	}
	if c := controlIn(name); c != "" {
		return fmt.Sprintf("contains %s", c)
	}
	if strings.ContainsRune(name, '\\') {
		return `contains a backslash ("\"): separate folders with "/"`
	}
	for seg := range strings.SplitSeq(name, "/") {
		switch {
		case seg == "":
			return `has an empty segment (a "/" at the end or "//")`
		case seg == "." || seg == "..":
			return fmt.Sprintf("has a %q segment, which would leave the folder tree", seg)
		case seg[0] == '~':
			return fmt.Sprintf("has the segment %q, which a host may read as a home directory", seg)
		case len(seg) > MaxFolderSegmentLen:
			return fmt.Sprintf("has a segment of %d bytes, more than %d", len(seg), MaxFolderSegmentLen)
		}
	}
	return ""
}

// reasonProblem returns why reason is not one line of printable text, or
// "".
func reasonProblem(reason string) string {
	switch {
	case strings.TrimSpace(reason) == "":
		return "is empty"
	case len(reason) > MaxReasonLen:
		return fmt.Sprintf("is %d bytes long, more than %d", len(reason), MaxReasonLen)
	}
	if c := controlIn(reason); c != "" {
		return fmt.Sprintf("contains %s", c)
	}
	return ""
}

// controlIn names the first character of s that is not printable text on
// one line, or returns "": line breaks (CR, LF, U+0085, U+2028, U+2029),
// NUL, other C0 and C1 controls (tab excepted), DEL, the bidirectional
// overrides and invalid UTF-8.
func controlIn(s string) string {
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return fmt.Sprintf("invalid UTF-8 at byte %d", i)
		case r == '\r' || r == '\n' || r == 0x85 || r == 0x2028 || r == 0x2029:
			return fmt.Sprintf("a line break (%U)", r)
		case r == 0:
			return "a NUL character"
		case r < 0x20 && r != '\t', r >= 0x7f && r <= 0x9f:
			return fmt.Sprintf("the control character %U", r)
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return fmt.Sprintf("the bidirectional control %U", r)
		}
	}
	return ""
}

// checkFolder reports a folder name that is not safe.
func (c *compiler) checkFolder(lit rules.Literal) {
	if p := folderProblem(lit.Value); p != "" {
		c.diag(rules.Error, rules.CodeInvalidValue, lit.Range, fmt.Sprintf("folder name %q %s", lit.Value, p),
			`write folders as names separated by "/", such as "INBOX/Patients"`)
	}
}

// checkReason reports a reject reason that is not one line of text.
func (c *compiler) checkReason(lit rules.Literal) {
	if p := reasonProblem(lit.Value); p != "" {
		c.diag(rules.Error, rules.CodeInvalidValue, lit.Range, fmt.Sprintf("reject reason %q %s", lit.Value, p),
			"write one line of text; the sender receives it in the SMTP reply")
	}
}

// ownAddress checks a mailbox or "also" address: a strict address whose
// domain is in the trust space. It returns the address to use, or "" when
// it is refused (reported).
func (c *compiler) ownAddress(lit rules.Literal, what string) string {
	v := strings.TrimSpace(lit.Value)
	a, err := mssante.ParseAddress(v)
	if err != nil {
		reason := err.Error()
		var ae *mssante.AddressError
		if errors.As(err, &ae) {
			reason = ae.Reason
		}
		c.diag(rules.Error, rules.CodeInvalidAddress, lit.Range, fmt.Sprintf("%s %q is not a valid address: %s", what, lit.Value, reason),
			`give one plain address, such as "cabinet@hopital.mssante.fr", without a display name`)
		return ""
	}
	if !c.list.Contains(a.Domain) {
		msg := fmt.Sprintf("%s %q is outside the MSSanté trust space: the domain %q is not in the trust list", what, lit.Value, a.Domain)
		if !c.list.Verified() {
			msg = fmt.Sprintf("%s (checked against the unverified fallback)", msg)
		}
		hint := "an MSSanté mailbox has addresses in the trust space only"
		if d := c.list.Suggest(a.Domain); d != "" {
			hint = fmt.Sprintf("did you mean %q?", a.Local+"@"+d)
		}
		c.diag(rules.Error, rules.CodeOutsideTrustSpace, lit.Range, msg, hint)
		return ""
	}
	return v
}

// checkReply builds a sample of the reply, as Evaluate will, so that a
// value autoreply.Build refuses (a subject with a line break or only
// spaces, an empty text, a reply-from that is not an address) is reported
// here rather than failing for every message.
func (c *compiler) checkReply(r *rules.Reply, rs *replySpec) {
	from := rs.from
	if from == "" {
		from = c.prog.mailbox
	}
	if from == "" {
		from = "mailbox@example.mssante.fr" // the envelope recipient, unknown here
	}
	subject := rs.subject
	if !rs.hasSubject {
		subject = autoreply.AutoSubject("")
	}
	_, err := autoreply.Build(autoreply.Reply{From: from, To: "sender@example.mssante.fr", Subject: subject, Body: rs.text})
	var fe *autoreply.FieldError
	if !errors.As(err, &fe) {
		return
	}
	rng, what, hint := r.Source(), "reply", ""
	switch fe.Field {
	case "Subject":
		if r.Subject != nil {
			rng = r.Subject.Range
		}
		what, hint = "reply subject", "write the subject on one line, with text"
	case "Body":
		rng, what, hint = r.Text.Range, "reply text", "write the text of the reply"
	case "From":
		if r.From != nil {
			return // reported where reply-from is authorised
		}
		what, hint = "mailbox address", `give one address, such as "cabinet@hopital.mssante.fr"`
	}
	c.diag(rules.Error, rules.CodeInvalidValue, rng, fmt.Sprintf("%s: %s: the reply could never be sent", what, fe.Problem), hint)
}
