package message

import (
	"fmt"
	"strings"
)

// Problem kinds. Each is a stable, human-readable code that a caller may
// compare against Problem.Kind.
const (
	KindHeaderTooLarge     = "header too large"
	KindTooManyFields      = "too many header fields"
	KindMalformedHeader    = "malformed header"
	KindMalformedAddress   = "malformed address"
	KindMalformedMediaType = "malformed Content-Type"
	KindUnknownCharset     = "unknown charset"
	KindInvalidUTF8        = "invalid UTF-8"
	KindUnknownEncoding    = "unknown transfer encoding"
	KindInvalidBase64      = "invalid base64"
	KindBodyTooLarge       = "body too large"
	KindTooManyParts       = "too many MIME parts"
	KindTooDeep            = "MIME nesting too deep"
	KindMissingBoundary    = "missing boundary"
	KindTruncatedMIME      = "truncated MIME"
	KindTooManyProblems    = "too many problems"
)

// maxProblems bounds the problems recorded for one message, so that a
// hostile message cannot make the list grow without limit.
const maxProblems = 100

// Scope says what a Problem makes unreliable. The zero value,
// ScopeMessage, is the most cautious: anything read from the message may
// be wrong.
type Scope uint8

const (
	// ScopeMessage: the message header as a whole (it was cut at
	// MaxHeaderBytes or MaxHeaders, or a line that is not a field was
	// dropped), so any field may be missing, and with the media type the
	// way the body is read. Also the scope of KindTooManyProblems.
	ScopeMessage Scope = iota
	// ScopeField: one field of the message header, named by
	// Problem.Field: its value or addresses (an address list read in
	// part, an encoded-word in an unknown charset, a malformed
	// Content-Type).
	ScopeField
	// ScopeBody: the body as BodyText gives it: the MIME structure, the
	// header of a MIME part, the transfer encoding or charset of a text
	// part, the MaxBodyBytes limit. Problem.Part says which part.
	ScopeBody
)

// String returns "message", "field" or "body".
func (s Scope) String() string {
	switch s {
	case ScopeField:
		return "field"
	case ScopeBody:
		return "body"
	}
	return "message"
}

// A Problem is something in a message that could not be read faithfully.
// The message is still usable: what could be read is kept. Scope, Field
// and Part say which part of the message it concerns, so that a caller can
// keep trusting the rest (a malformed Cc says nothing about From).
type Problem struct {
	Kind   string // one of the Kind* constants
	Detail string // what exactly, in words a postmaster can act on
	Scope  Scope
	Field  string // ScopeField: the field name in lower case, such as "cc"
	Part   int    // ScopeBody: the MIME part, numbered as in Detail from 1; 0 for the body as a whole
}

// Error returns "kind: detail", or the kind alone when there is no detail.
func (p *Problem) Error() string {
	if p.Detail == "" {
		return p.Kind
	}
	return p.Kind + ": " + p.Detail
}

// recorder collects the problems of one message, without duplicates and
// up to maxProblems. Each problem takes the scope set last by at.
type recorder struct {
	problems []error
	full     bool
	scope    Scope
	field    string
	part     int
}

// at sets the scope of the problems recorded next.
func (r *recorder) at(scope Scope, field string, part int) {
	r.scope, r.field, r.part = scope, field, part
}

func (r *recorder) add(kind, format string, args ...any) {
	if r.full {
		return
	}
	p := &Problem{Kind: kind, Detail: fmt.Sprintf(format, args...), Scope: r.scope, Field: r.field, Part: r.part}
	for _, e := range r.problems {
		if q := e.(*Problem); q.Kind == p.Kind && q.Detail == p.Detail {
			return
		}
	}
	if len(r.problems) == maxProblems {
		r.full = true
		r.problems = append(r.problems, &Problem{Kind: KindTooManyProblems,
			Detail: fmt.Sprintf("only the first %d problems are listed", maxProblems)})
		return
	}
	r.problems = append(r.problems, p)
}

// quote renders input text for a problem detail: quoted, escaped, and cut
// short so that a hostile value cannot flood the message.
func quote(s string) string {
	const max = 64
	if len(s) > max {
		return fmt.Sprintf("%q…", s[:max])
	}
	return fmt.Sprintf("%q", s)
}

// HeaderProblems returns the problems that make the field name
// (case-insensitive) unreliable, in the order met: those of that field
// (ScopeField) and those of the whole message (ScopeMessage). It is nil,
// without allocating, when what Header and Addresses return for name was
// read faithfully, even if other fields or the body have problems.
func (m *Message) HeaderProblems(name string) []error {
	return m.filterProblems(func(p *Problem) bool {
		return p.Scope == ScopeMessage || p.Scope == ScopeField && strings.EqualFold(p.Field, name)
	})
}

// BodyProblems returns the problems that make BodyText (and the media
// types of the parts) unreliable, in the order met: those of the body
// (ScopeBody), of the whole message (ScopeMessage), and of the
// Content-Type and Content-Transfer-Encoding fields of the message header,
// which say how the body is read. It is nil, without allocating, when the
// body was read faithfully. A body cut at Options.MaxBodyBytes is a
// problem here (KindBodyTooLarge); BodyTruncated tells it apart.
func (m *Message) BodyProblems() []error {
	return m.filterProblems(func(p *Problem) bool {
		switch p.Scope {
		case ScopeField:
			return p.Field == "content-type" || p.Field == "content-transfer-encoding"
		}
		return true
	})
}

// BodyTruncated reports whether BodyText holds less than the text of the
// message because of Options.MaxBodyBytes.
func (m *Message) BodyTruncated() bool { return m.truncated }

// filterProblems returns the problems keep accepts; nil when there are
// none.
func (m *Message) filterProblems(keep func(*Problem) bool) []error {
	var out []error
	for _, e := range m.problems {
		if p := e.(*Problem); keep(p) {
			if out == nil {
				out = make([]error, 0, len(m.problems))
			}
			out = append(out, p)
		}
	}
	return out
}
