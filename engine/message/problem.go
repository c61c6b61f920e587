package message

import "fmt"

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

// A Problem is something in a message that could not be read faithfully.
// The message is still usable: what could be read is kept.
type Problem struct {
	Kind   string // one of the Kind* constants
	Detail string // what exactly, in words a postmaster can act on
}

// Error returns "kind: detail", or the kind alone when there is no detail.
func (p *Problem) Error() string {
	if p.Detail == "" {
		return p.Kind
	}
	return p.Kind + ": " + p.Detail
}

// recorder collects the problems of one message, without duplicates and
// up to maxProblems.
type recorder struct {
	problems []error
	full     bool
}

func (r *recorder) add(kind, format string, args ...any) {
	if r.full {
		return
	}
	p := &Problem{Kind: kind, Detail: fmt.Sprintf(format, args...)}
	for _, e := range r.problems {
		if q := e.(*Problem); *q == *p {
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
