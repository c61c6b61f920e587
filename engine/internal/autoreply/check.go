package autoreply

import (
	"fmt"
	"github.com/tamis-mss/tamis/engine/vacation"
	"strings"
	"unicode/utf8"

	"github.com/tamis-mss/tamis/engine/message"
)

// Headers is what Check reads of the incoming message. *message.Message
// implements it.
type Headers interface {
	// Header returns every value of the named field (case-insensitive),
	// unfolded and decoded.
	Header(name string) []string
	// Addresses returns the parsed addresses of every occurrence of the
	// named address field.
	Addresses(name string) []message.Address
	// Fields returns every header field in order.
	Fields() []message.Field
	// MediaType returns the lower-case media type of the message and its
	// parameters (lower-case names).
	MediaType() (string, map[string]string)
}

// Suppression codes: those of package vacation, where embedders find them.
const (
	CodeNullSender      = vacation.CodeNullSender
	CodeInvalidSender   = vacation.CodeInvalidSender
	CodeOwnAddress      = vacation.CodeOwnAddress
	CodeMailingList     = vacation.CodeMailingList
	CodeAutoSubmitted   = vacation.CodeAutoSubmitted
	CodePrecedence      = vacation.CodePrecedence
	CodeSystemSender    = vacation.CodeSystemSender
	CodeNotAddressed    = vacation.CodeNotAddressed
	CodeBounce          = vacation.CodeBounce
	CodeReadReceipt     = vacation.CodeReadReceipt
	CodeUntrustedSender = vacation.CodeUntrustedSender
)

// Suppression says why no absence reply may be sent to a message.
type Suppression struct {
	// Code is one of the Code* constants.
	Code string
	// Reason is a readable English sentence naming what was seen.
	Reason string
}

// String returns "code: reason".
func (s *Suppression) String() string {
	if s == nil {
		return "<nil>"
	}
	return s.Code + ": " + s.Reason
}

// addressFields are the fields that must name one of the holder's
// addresses for a reply to be sent (Pigeonhole's _my_address_headers).
var addressFields = [...]string{"To", "Cc", "Bcc", "Resent-To", "Resent-Cc", "Resent-Bcc"}

// Check decides whether an absence reply may be sent for a message: it
// returns nil when one may, else the first reason not to.
//
// envelopeFrom is the SMTP envelope sender (MAIL FROM), with or without
// angle brackets; the reply would go to it. own lists the holder's
// addresses: the mailbox, its other addresses, the envelope recipient.
// trusted reports whether an address is in the MSSanté trust space; a nil
// trusted trusts nobody.
//
// Addresses are compared ignoring case in the domain and in the local part
// too, as Pigeonhole does: a reply is then withheld rather than sent to an
// address that differs from the holder's by case alone.
//
// The checks run in Pigeonhole's order, so that where Pigeonhole also stays
// silent the code names the same cause: null sender, own address, List-*
// fields, Auto-Submitted, Precedence, system sender, not addressed to the
// holder. (Pigeonhole checks its duplicate store between the own-address
// and the list checks; here the Tracker is claimed after Check, so that a
// suppressed message does not count as a reply.) The checks that tamis adds
// follow: an invalid sender right after the null one, then bounces (DSN),
// read receipts (MDN) — Pigeonhole answers those — and the trust space.
//
// Where tamis differs from Pigeonhole 0.5.19 (TestCheckAgainstPigeonhole
// runs both), it withholds more replies, never fewer, except that it reads
// "Auto-Submitted: no  " with trailing spaces as "no": any List-* field
// counts, not only Pigeonhole's seven; "owner-" and "-request" match in any
// case; MDNs and DSNs get no reply; senders outside the trust space none.
//
// Check does not allocate unless it returns a Suppression.
func Check(h Headers, envelopeFrom string, own []string, trusted func(addr string) bool) *Suppression {
	sender := stripAngles(envelopeFrom)
	if sender == "" {
		return &Suppression{Code: CodeNullSender, Reason: "the envelope sender is empty (<>): bounces and notifications are never answered"}
	}
	if p := addressProblem(sender); p != "" {
		return &Suppression{Code: CodeInvalidSender, Reason: fmt.Sprintf("the envelope sender %s is not a plain address: %s", quoteValue(sender), p)}
	}
	local, domain, _ := splitAddress(sender)
	for _, a := range own {
		if sameAddress(local, domain, a) {
			return &Suppression{Code: CodeOwnAddress, Reason: fmt.Sprintf("the sender <%s> is one of the holder's own addresses", sender)}
		}
	}
	for _, f := range h.Fields() {
		if len(f.Name) >= len("List-") && strings.EqualFold(f.Name[:len("List-")], "List-") {
			return &Suppression{Code: CodeMailingList, Reason: fmt.Sprintf("the message comes from a mailing list (it has a %s field)", quoteValue(f.Name))}
		}
	}
	for _, v := range h.Header("Auto-Submitted") {
		if !autoSubmittedNo(v) {
			return &Suppression{Code: CodeAutoSubmitted, Reason: fmt.Sprintf("the message was sent automatically (Auto-Submitted: %s)", quoteValue(v))}
		}
	}
	for _, v := range h.Header("Precedence") {
		switch p := strings.TrimSpace(v); {
		case strings.EqualFold(p, "bulk"), strings.EqualFold(p, "list"), strings.EqualFold(p, "junk"):
			return &Suppression{Code: CodePrecedence, Reason: fmt.Sprintf("the message is bulk mail (Precedence: %s)", quoteValue(p))}
		}
	}
	if what := systemLocalPart(local); what != "" {
		return &Suppression{Code: CodeSystemSender, Reason: fmt.Sprintf("the sender <%s> is a system address (%s)", sender, what)}
	}
	if !addressedTo(h, own) {
		return &Suppression{Code: CodeNotAddressed, Reason: "none of the holder's addresses is in To, Cc, Bcc or Resent-To/Cc/Bcc: the message came through a list, a blind copy or a forward"}
	}
	mt, _ := h.MediaType()
	switch report := reportType(h); {
	case strings.EqualFold(report, "delivery-status"):
		return &Suppression{Code: CodeBounce, Reason: "the message is a delivery status notification (multipart/report; report-type=delivery-status)"}
	case strings.EqualFold(report, "disposition-notification"):
		return &Suppression{Code: CodeReadReceipt, Reason: "the message is a read receipt (multipart/report; report-type=disposition-notification)"}
	case strings.EqualFold(mt, "message/delivery-status"):
		// The report alone, not wrapped in multipart/report.
		return &Suppression{Code: CodeBounce, Reason: "the message is a delivery status notification (message/delivery-status)"}
	case strings.EqualFold(mt, "message/disposition-notification"):
		return &Suppression{Code: CodeReadReceipt, Reason: "the message is a read receipt (message/disposition-notification)"}
	}
	if trusted == nil || !trusted(sender) {
		return &Suppression{Code: CodeUntrustedSender, Reason: fmt.Sprintf("the sender <%s> is outside the MSSanté trust space", sender)}
	}
	return nil
}

// autoSubmittedNo reports whether an Auto-Submitted value is "no", which
// alone lets a reply through. Case and surrounding white space are ignored
// (RFC 3834 keywords are case-insensitive); parameters and comments are not
// read: "no; x=y" and "no (human)" withhold the reply, as in Pigeonhole
// 0.5.19, which also withholds it for "no  " with trailing spaces.
func autoSubmittedNo(v string) bool {
	return strings.EqualFold(strings.TrimSpace(v), "no")
}

// systemLocalPart returns which system-address pattern local matches, or
// "". Case is ignored throughout, and "-request" anywhere in the local part
// counts, as in Pigeonhole ("lab-requests"). Pigeonhole 0.5.19 compares
// "owner-" and "-request" with case ("Owner-x" gets a reply there): ignoring
// it here withholds a few more replies, never sends more.
func systemLocalPart(local string) string {
	switch {
	case strings.EqualFold(local, "MAILER-DAEMON"):
		return "MAILER-DAEMON"
	case strings.EqualFold(local, "LISTSERV"):
		return "LISTSERV"
	case strings.EqualFold(local, "majordomo"):
		return "majordomo"
	case len(local) > len("owner-") && strings.EqualFold(local[:len("owner-")], "owner-"):
		return "owner-*"
	case containsFold(local, "-request"):
		return "*-request*"
	}
	return ""
}

// containsFold reports whether s contains the ASCII lower-case substr,
// ignoring case, without allocating.
func containsFold(s, substr string) bool {
	for i := 0; i+len(substr) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(substr)], substr) {
			return true
		}
	}
	return false
}

// addressedTo reports whether one of own is among the addresses of the
// recipient fields.
func addressedTo(h Headers, own []string) bool {
	for _, name := range addressFields {
		for _, a := range h.Addresses(name) {
			if a.Domain == "" {
				continue
			}
			for _, o := range own {
				if sameAddress(a.Local, a.Domain, o) {
					return true
				}
			}
		}
	}
	return false
}

// reportType returns the report-type parameter of a multipart/report
// message, or "".
func reportType(h Headers) string {
	mt, params := h.MediaType()
	if !strings.EqualFold(mt, "multipart/report") {
		return ""
	}
	if v, ok := params["report-type"]; ok {
		return strings.TrimSpace(v)
	}
	for k, v := range params {
		if strings.EqualFold(k, "report-type") {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// quoteValue quotes a value taken from the message for a reason, escaping
// control characters and cutting it to 64 characters.
func quoteValue(s string) string {
	const max = 64
	if utf8.RuneCountInString(s) > max {
		n := 0
		for i := range s {
			if n == max {
				s = s[:i] + "…"
				break
			}
			n++
		}
	}
	return fmt.Sprintf("%q", s)
}
