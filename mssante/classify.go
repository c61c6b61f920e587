package mssante

import (
	"fmt"
	"strings"

	"golang.org/x/net/idna"
)

// Verdict says whether mail may go to an address within MSSanté.
type Verdict int

// The verdicts of Classify.
const (
	Trusted Verdict = iota // in the trust space
	Patient                // a patient mailbox <INS>@patient.mssante.fr
	Outside                // a valid address outside the trust space
	Invalid                // not a valid address (or a patient mailbox with a bad INS)
)

var verdictNames = [...]string{Trusted: "trusted", Patient: "patient", Outside: "outside", Invalid: "invalid"}

// String returns "trusted", "patient", "outside" or "invalid".
func (v Verdict) String() string {
	if v < 0 || int(v) >= len(verdictNames) {
		return fmt.Sprintf("Verdict(%d)", int(v))
	}
	return verdictNames[v]
}

// MarshalText encodes the verdict as its String.
func (v Verdict) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// Kind is the kind of mailbox an address designates.
type Kind int

// The kinds of Classify.
const (
	KindOther       Kind = iota // nominative or organisational mailbox, or unknown
	KindPatient                 // patient mailbox on patient.mssante.fr
	KindApicrypt                // Apicrypt v2 interoperability domain
	KindApplicative             // mailbox of a piece of software (noreply…)
)

var kindNames = [...]string{KindOther: "other", KindPatient: "patient", KindApicrypt: "apicrypt", KindApplicative: "applicative"}

// String returns "other", "patient", "apicrypt" or "applicative".
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return kindNames[k]
}

// MarshalText encodes the kind as its String.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Classification is what Classify found out about an address.
type Classification struct {
	Verdict    Verdict
	Address    Address // the parsed address; zero when Verdict is Invalid for syntax
	Kind       Kind
	Reason     string // why, in lower case, for a person
	Suggestion string // a close trusted address the input may have meant, or ""
	Unverified bool   // the answer rests on the built-in fallback, not a published list
}

// DefaultApplicativePattern matches the local parts of applicative
// mailboxes, whose mail is sent by software.
const DefaultApplicativePattern = "noreply*"

// ClassifyOptions tunes Classify.
type ClassifyOptions struct {
	// ApplicativePattern is a glob on the local part ('*' any run of
	// characters, '?' one character, case-insensitive) that marks
	// applicative mailboxes. "" means DefaultApplicativePattern.
	ApplicativePattern string
}

// Classify tells whether mail may go to s within MSSanté, with the default
// options.
func (l *List) Classify(s string) Classification {
	return l.ClassifyWith(s, ClassifyOptions{})
}

// ClassifyWith tells whether mail may go to s within MSSanté, and why not.
// s is parsed with ParseAddress; a patient mailbox must carry a valid
// matricule INS (a wrong key makes it Invalid); otherwise the domain is
// looked up in l.
func (l *List) ClassifyWith(s string, o ClassifyOptions) Classification {
	a, err := ParseAddress(s)
	if err != nil {
		return Classification{Verdict: Invalid, Reason: err.(*AddressError).Reason, Suggestion: l.suggestForInvalid(s)}
	}
	c := Classification{Address: a, Kind: kindOf(a, o)}
	switch {
	case a.Domain == PatientDomain:
		if _, err := ParseINS(a.Local); err != nil {
			c.Verdict = Invalid
			c.Reason = fmt.Sprintf("patient mailbox with an invalid matricule INS: %s", err.(*INSError).Reason)
		} else {
			c.Verdict = Patient
			c.Reason = "patient mailbox (Mon espace santé), INS key checked"
		}
	case l.containsCanonical(a.Domain):
		c.Verdict = Trusted
		c.Reason = l.trustedReason()
		c.Unverified = !l.Verified()
	default:
		c.Verdict = Outside
		c.Reason = l.outsideReason(a.Domain)
		if d := l.Suggest(a.Domain); d != "" {
			c.Suggestion = a.Local + "@" + d
		}
		c.Unverified = !l.Verified()
	}
	return c
}

func kindOf(a Address, o ClassifyOptions) Kind {
	pattern := o.ApplicativePattern
	if pattern == "" {
		pattern = DefaultApplicativePattern
	}
	switch {
	case a.Domain == PatientDomain:
		return KindPatient
	case a.Domain == ApicryptInteropDomain || a.Domain == ApicryptDomain:
		return KindApicrypt
	case matchGlob(pattern, a.Local):
		return KindApplicative
	}
	return KindOther
}

// matchGlob matches s against pattern ('*' and '?'), ignoring ASCII case.
func matchGlob(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || lowerByte(pattern[p]) == lowerByte(s[i])):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// outsideReason explains why a valid domain is not in the trust space,
// naming the usual confusions.
func (l *List) outsideReason(d string) string {
	switch {
	case d == "mssante.fr":
		return "the bare domain mssante.fr is not in the trust space, only the listed domains under it"
	case d == "apicrypt.org" || strings.HasSuffix(d, ".apicrypt.org"):
		return fmt.Sprintf("%s is not an Apicrypt v2 interoperability domain (Apicrypt v1 is not interoperable with MSSanté; only %s and %s are listed)", d, ApicryptInteropDomain, ApicryptDomain)
	case strings.HasPrefix(d, "xn--") || strings.Contains(d, ".xn--"):
		u, _ := idna.Lookup.ToUnicode(d)
		return fmt.Sprintf("the internationalised domain %s (%s) is not in the trust space, whose domains are all ASCII", d, u)
	case strings.HasSuffix(d, "."+PatientDomain):
		return "a subdomain of patient.mssante.fr is not a mailbox domain"
	case strings.HasSuffix(d, ".mssante.fr"):
		for parent := d; ; {
			_, rest, ok := strings.Cut(parent, ".")
			if !ok || rest == "mssante.fr" {
				break
			}
			if l.Contains(rest) {
				return fmt.Sprintf("%s is a subdomain of the listed %s but is not itself listed in the %s", d, rest, l.describe())
			}
			parent = rest
		}
		return fmt.Sprintf("%s is not listed in the %s", d, l.describe())
	case strings.Contains(d+".", ".mssante.fr.") || strings.HasPrefix(d, "mssante.fr."):
		return fmt.Sprintf("%s is not under mssante.fr: \"mssante.fr\" is only part of a longer domain", d)
	}
	return fmt.Sprintf("%s is not in the %s", d, l.describe())
}

// suggestForInvalid proposes a trusted address for an input that does not
// parse: the bare address inside a display-name form, or the same local
// part with the folded domain.
func (l *List) suggestForInvalid(s string) string {
	if i, j := strings.LastIndexByte(s, '<'), strings.LastIndexByte(s, '>'); i >= 0 && j > i {
		if a, err := ParseAddress(s[i+1 : j]); err == nil && l.isTrustedTarget(a) {
			return a.String()
		}
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 {
		return ""
	}
	d := l.Suggest(s[at+1:])
	if d == "" {
		return ""
	}
	if a, err := ParseAddress(s[:at] + "@" + d); err == nil && l.isTrustedTarget(a) {
		return a.String()
	}
	return ""
}

func (l *List) isTrustedTarget(a Address) bool {
	return a.Domain != PatientDomain && l.containsCanonical(a.Domain)
}
