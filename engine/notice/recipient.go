package notice

import (
	"fmt"

	"github.com/tamis-mss/tamis/mssante"
)

// Recipient is the address a notice goes to. Its fields are unexported:
// outside this package the only way to obtain a non-zero Recipient is
// ParseRecipient.
type Recipient struct {
	addr mssante.Address
}

// String returns the address as local@domain, domain in lower-case
// A-labels.
func (r Recipient) String() string {
	if r.addr.IsZero() {
		return ""
	}
	return r.addr.String()
}

// IsZero reports whether r designates nothing.
func (r Recipient) IsZero() bool { return r.addr.IsZero() }

// Is reports whether r and the address s designate the same mailbox (same
// domain, same local part ignoring case and a "+detail").
func (r Recipient) Is(s string) bool {
	a, err := mssante.ParseAddress(s)
	return err == nil && sameMailbox(r.addr, a)
}

// ParseRecipient checks s as the recipient of a notice for the mailbox
// whose own addresses are self. Unlike a reroute target it may be outside
// the trust space — that is the point of a notice — but it must be one
// plain address (mssante.ParseAddress's rules), not a patient mailbox and
// not one of self. It refuses with a *mssante.Refusal (codes
// invalid-address, patient-target, self-target).
func ParseRecipient(s string, self ...string) (Recipient, error) {
	a, err := mssante.ParseAddress(s)
	if err != nil {
		return Recipient{}, &mssante.Refusal{Code: mssante.CodeInvalidAddress, Input: s,
			Reason: err.(*mssante.AddressError).Reason, Role: "notice recipient"}
	}
	if a.Domain == mssante.PatientDomain {
		return Recipient{}, &mssante.Refusal{Code: mssante.CodePatientTarget, Input: s, Role: "notice recipient",
			Reason: "a patient is never notified of a professional's mail"}
	}
	for _, own := range self {
		if o, err := mssante.ParseAddress(own); err == nil && sameMailbox(a, o) {
			return Recipient{}, &mssante.Refusal{Code: mssante.CodeSelfTarget, Input: s, Role: "notice recipient",
				Reason: fmt.Sprintf("it designates the mailbox's own address %q", own)}
		}
	}
	return Recipient{addr: a}, nil
}

func sameMailbox(a, b mssante.Address) bool {
	return a.Domain == b.Domain && equalFold(baseLocal(a.Local), baseLocal(b.Local))
}

func baseLocal(local string) string {
	for i := 1; i < len(local); i++ {
		if local[i] == '+' {
			return local[:i]
		}
	}
	return local
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
