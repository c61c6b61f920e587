package rules

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Condition is a test on an incoming message. The concrete types are the
// pointers to Always, Not, All, Any, HeaderTest, AddressTest, BodyTest,
// SizeTest, ExistsTest, PredicateTest, DuringTest and BetweenTest.
type Condition interface {
	Source() Range
	condition()
}

// Always is the condition that always holds ("always").
type Always struct{ Node }

// Not holds when its operand does not ("not COND").
type Not struct {
	Node
	Cond Condition
}

// All holds when every operand holds ("all { … }"); with no operand it holds.
type All struct {
	Node
	Conds []Condition
}

// Any holds when at least one operand holds ("any { … }"); with no operand it
// does not hold.
type Any struct {
	Node
	Conds []Condition
}

// MatchKind is how a value is compared with the keys of a test.
type MatchKind int

// Match kinds, as in Sieve's :is, :contains, :matches and :regex.
const (
	Is       MatchKind = iota // the whole value equals a key
	Contains                  // the value contains a key
	Matches                   // the value matches a key as a glob: * any run, ? one character, \ escapes
	Regex                     // the value matches a key as an RE2 regular expression (unanchored)
)

// String returns the keyword of the match kind.
func (k MatchKind) String() string {
	switch k {
	case Is:
		return "is"
	case Contains:
		return "contains"
	case Matches:
		return "matches"
	case Regex:
		return "regex"
	}
	return "invalid"
}

// Match is the comparison part of a test: a match kind and one or more keys.
// The test holds when any value matches any key. Comparison folds case with
// Unicode rules (É equals é) unless CaseSensitive is set.
type Match struct {
	Kind          MatchKind
	Keys          []Literal
	CaseSensitive bool
}

// HeaderTest compares the decoded values of header fields:
//
//	header "X-MSS-MES" is "FIN"
//	subject contains any ["ordonnance", "résultats"]
//
// The "subject" form is the header test on the single name "Subject". The
// whole field value is compared, display names included.
type HeaderTest struct {
	Node
	Names []Literal
	Match Match
}

// AddressField names the address a test looks at.
type AddressField int

// Address fields. FieldHeader takes its field names from AddressTest.Headers.
const (
	FieldFrom AddressField = iota
	FieldTo
	FieldCc
	FieldBcc
	FieldSender
	FieldReplyTo
	FieldEnvelopeFrom // the SMTP MAIL FROM (return path)
	FieldEnvelopeTo   // the SMTP RCPT TO of this delivery
	FieldHeader       // "address "Resent-From" …": any address header
)

// String returns the field as written in the language.
func (f AddressField) String() string {
	switch f {
	case FieldFrom:
		return "from"
	case FieldTo:
		return "to"
	case FieldCc:
		return "cc"
	case FieldBcc:
		return "bcc"
	case FieldSender:
		return "sender"
	case FieldReplyTo:
		return "reply-to"
	case FieldEnvelopeFrom:
		return "envelope from"
	case FieldEnvelopeTo:
		return "envelope to"
	case FieldHeader:
		return "address"
	}
	return "invalid"
}

// HeaderField returns the address field whose keyword names the header
// field name (from, to, cc, bcc, sender, reply-to; case ignored), and
// false for any other field name.
func HeaderField(name string) (AddressField, bool) {
	for f := FieldFrom; f <= FieldReplyTo; f++ {
		if strings.EqualFold(name, f.HeaderName()) {
			return f, true
		}
	}
	return FieldHeader, false
}

// HeaderName returns the header field name of f, or "" for the envelope
// fields and FieldHeader.
func (f AddressField) HeaderName() string {
	switch f {
	case FieldFrom:
		return "From"
	case FieldTo:
		return "To"
	case FieldCc:
		return "Cc"
	case FieldBcc:
		return "Bcc"
	case FieldSender:
		return "Sender"
	case FieldReplyTo:
		return "Reply-To"
	}
	return ""
}

// AddressPart is the part of an address a test compares.
type AddressPart int

// Address parts, as in Sieve's :all, :localpart and :domain.
const (
	PartAll    AddressPart = iota // local@domain, without display name
	PartLocal                     // before the last "@"
	PartDomain                    // after the last "@"
)

// String returns the part as written in the language ("" for PartAll).
func (p AddressPart) String() string {
	switch p {
	case PartLocal:
		return "local"
	case PartDomain:
		return "domain"
	}
	return ""
}

// AddressTest compares the addresses of a field, parsed, without display
// names:
//
//	from is "dr.martin@chu-nantes.mssante.fr"
//	from domain is "patient.mssante.fr"
//	envelope to local contains "secretariat"
//	address ["Resent-From"] domain is "…"
type AddressTest struct {
	Node
	Field   AddressField
	Headers []Literal // the field names, for FieldHeader only
	Part    AddressPart
	Match   Match
}

// BodyTest compares the decoded text parts of the message ("body contains …").
type BodyTest struct {
	Node
	Match Match
}

// SizeTest compares the message size in octets ("size over 25M"). Over is
// strictly greater, under strictly smaller, as in Sieve.
type SizeTest struct {
	Node
	Over  bool
	Limit int64
}

// ExistsTest holds when every named header field is present
// ("exists "X-MSS-INS"").
type ExistsTest struct {
	Node
	Names []Literal
}

// Predicate is a named test from the MSSanté domain.
type Predicate int

// Predicates. "The sender" is the envelope sender, or the From address when
// the envelope sender is empty or unknown.
const (
	SenderPatient      Predicate = iota // sender is patient: a Mon espace santé patient mailbox
	SenderTrusted                       // sender is trusted: inside the MSSanté trust space
	SenderUntrusted                     // sender is untrusted: outside the trust space
	MessageAutoReply                    // message is auto-reply: Auto-Submitted other than "no", or an absence reply
	MessageReadReceipt                  // message is read-receipt: an MDN
	MessageBounce                       // message is bounce: a DSN, or from an empty envelope sender
	MessageMailingList                  // message is mailing-list: List-* headers or Precedence bulk/list
)

// String returns the predicate as written in the language.
func (p Predicate) String() string {
	switch p {
	case SenderPatient:
		return "sender is patient"
	case SenderTrusted:
		return "sender is trusted"
	case SenderUntrusted:
		return "sender is untrusted"
	case MessageAutoReply:
		return "message is auto-reply"
	case MessageReadReceipt:
		return "message is read-receipt"
	case MessageBounce:
		return "message is bounce"
	case MessageMailingList:
		return "message is mailing-list"
	}
	return "invalid"
}

// PredicateTest is a named predicate ("sender is patient").
type PredicateTest struct {
	Node
	Predicate Predicate
}

// DuringTest holds when the delivery time, in the policy's zone, falls in one
// of its weekly spans ("during mon-fri 08:00-19:00, sat 09:00-12:00").
type DuringTest struct {
	Node
	Spans []WeeklySpan
}

// BetweenTest holds when the delivery time falls in its window
// ("between 2025-12-20 18:00 and 2026-01-05").
type BetweenTest struct {
	Node
	Window Window
}

func (*Always) condition()        {}
func (*Not) condition()           {}
func (*All) condition()           {}
func (*Any) condition()           {}
func (*HeaderTest) condition()    {}
func (*AddressTest) condition()   {}
func (*BodyTest) condition()      {}
func (*SizeTest) condition()      {}
func (*ExistsTest) condition()    {}
func (*PredicateTest) condition() {}
func (*DuringTest) condition()    {}
func (*BetweenTest) condition()   {}

// FoldRune maps r to its representative under the case folding of
// comparisons that are not case-sensitive: simple Unicode case folding,
// the equivalence of strings.EqualFold and of RE2's (?i). Two characters
// fold alike exactly when they are in the same unicode.SimpleFold orbit;
// the representative is the smallest lower-case character of the orbit
// (ASCII letters fold to lower case), or the smallest character when the
// orbit has no lower-case one. So "É" folds like "é" and the Kelvin sign
// like "k"; "ß" does not fold to "ss", and the Turkish dotless "ı" and
// dotted "İ" fold only to themselves, as in RE2. The engine evaluates with
// it and the Sieve exporter writes exact equivalents of it.
func FoldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	if r < foldTableSize {
		return rune(foldTable()[r])
	}
	return foldRune(r)
}

// foldTableSize bounds the characters whose folding is looked up in a
// table rather than computed: those of two UTF-8 bytes (Latin, Greek,
// Cyrillic, Hebrew, Arabic…), which make most of the text folded.
const foldTableSize = 0x800

// foldTable returns FoldRune of every character below foldTableSize,
// computed once.
var foldTable = sync.OnceValue(func() *[foldTableSize]uint16 {
	var t [foldTableSize]uint16
	for r := range rune(foldTableSize) {
		f := foldRune(r)
		if f > 0xFFFF {
			panic("rules: the folding of a two-byte character does not fit the table")
		}
		t[r] = uint16(f)
	}
	return &t
})

// foldRune is FoldRune computed from the Unicode tables.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	smallest, lower := r, rune(-1)
	if unicode.ToLower(r) == r {
		lower = r
	}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		smallest = min(smallest, f)
		if unicode.ToLower(f) == f && (lower < 0 || f < lower) {
			lower = f
		}
	}
	if lower >= 0 {
		return lower
	}
	return smallest
}
