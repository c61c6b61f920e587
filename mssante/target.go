package mssante

import (
	"fmt"
	"strings"
)

// Target is the only representation of a reroute or copy destination that
// a compiled program or a result may hold. Its fields are unexported:
// outside this package the only way to obtain a non-zero Target is
// Authorize, so code that skips the trust check does not compile.
type Target struct {
	addr Address
	s    string // addr.String(), kept to make String free
}

// String returns the address as local@domain, domain in lower-case
// A-labels. It does not allocate.
func (t Target) String() string { return t.s }

// Address returns the parsed address.
func (t Target) Address() Address { return t.addr }

// IsZero reports whether t is the zero Target, which designates nothing.
func (t Target) IsZero() bool { return t.s == "" }

// The codes of a Refusal. They are stable: tools may match on them.
const (
	CodeInvalidAddress    = "invalid-address"
	CodeOutsideTrustSpace = "outside-trust-space"
	CodePatientTarget     = "patient-target"
	CodeSelfTarget        = "self-target"
)

// Refusal tells why a string may not be a target: a reroute or copy
// destination, or an absence reply's from address.
type Refusal struct {
	Code       string // one of the Code constants
	Input      string // the text that was checked
	Reason     string // why, in lower case, for a person
	Suggestion string // a close address that would be accepted, or ""
	Unverified bool   // the list was the built-in fallback
	// Role names what Input was checked as, for Error: "reroute target",
	// "copy target", "reply-from address"… Authorize, which cannot know,
	// leaves it empty, which reads "target"; a caller may set it.
	Role string
}

var refusalPhrases = map[string]string{
	CodeInvalidAddress:    "is not a valid address",
	CodeOutsideTrustSpace: "is outside the MSSanté trust space",
	CodePatientTarget:     "is a patient mailbox",
	CodeSelfTarget:        "is the mailbox itself",
}

// Error returns `ROLE "INPUT" PHRASE: REASON (did you mean "S"?)`, ROLE
// being Role or "target", with INPUT quoted so that control characters
// cannot leak into a log or a message.
func (r *Refusal) Error() string {
	phrase, ok := refusalPhrases[r.Code]
	if !ok {
		phrase = "is refused"
	}
	role := r.Role
	if role == "" {
		role = "target"
	}
	msg := fmt.Sprintf("%s %q %s: %s", role, r.Input, phrase, r.Reason)
	if r.Suggestion != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", r.Suggestion)
	}
	return msg
}

// Authorize checks s as a reroute or copy destination (or an absence-reply
// sender) for the mailbox whose own addresses are self, and returns it as
// a Target. It refuses, with a *Refusal:
//   - an s that ParseAddress refuses (invalid-address);
//   - a patient mailbox, whatever its INS (patient-target);
//   - one of the self addresses, compared case-insensitively and ignoring
//     a "+detail" subaddress on either side (self-target);
//   - an address whose domain is not in l (outside-trust-space).
//
// For an absence reply's from address, which is normally one of the
// mailbox's own addresses, pass no self addresses.
//
// Authorize does not allocate when s is ASCII, already normalised and
// accepted, and the self addresses have lower-case domains, so that the
// engine can re-check every target against the current list at run time:
// list.Authorize(target.String(), self...).
func (l *List) Authorize(s string, self ...string) (Target, error) {
	a, err := ParseAddress(s)
	if err != nil {
		return Target{}, &Refusal{Code: CodeInvalidAddress, Input: s, Reason: err.(*AddressError).Reason,
			Suggestion: l.suggestForInvalid(s), Unverified: !l.Verified()}
	}
	if a.Domain == PatientDomain {
		return Target{}, &Refusal{Code: CodePatientTarget, Input: s, Unverified: !l.Verified(),
			Reason: "mail must never be rerouted or copied to a patient mailbox"}
	}
	for _, own := range self {
		if sameMailbox(a, own) {
			return Target{}, &Refusal{Code: CodeSelfTarget, Input: s, Unverified: !l.Verified(),
				Reason: fmt.Sprintf("it designates the mailbox's own address %q, which would loop", own)}
		}
	}
	if !l.containsCanonical(a.Domain) {
		r := &Refusal{Code: CodeOutsideTrustSpace, Input: s, Reason: l.outsideReason(a.Domain), Unverified: !l.Verified()}
		if d := l.Suggest(a.Domain); d != "" {
			r.Suggestion = a.Local + "@" + d
		}
		return Target{}, r
	}
	canonical := s
	if s[len(a.Local)+1:] != a.Domain { // the local part is kept as written
		canonical = a.String()
	}
	return Target{addr: a, s: canonical}, nil
}

// sameMailbox reports whether a and the text own designate the same
// mailbox: same domain, same local part ignoring case and a "+detail".
func sameMailbox(a Address, own string) bool {
	o, err := ParseAddress(own)
	if err != nil {
		return strings.EqualFold(a.String(), strings.TrimSpace(own))
	}
	return o.Domain == a.Domain && strings.EqualFold(baseLocal(o.Local), baseLocal(a.Local))
}

func baseLocal(local string) string {
	if i := strings.IndexByte(local, '+'); i > 0 {
		return local[:i]
	}
	return local
}
