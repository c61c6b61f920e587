package engine

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tamis-mss/tamis/engine/internal/autoreply"
	"github.com/tamis-mss/tamis/rules"
)

// replyFromAddress returns the address part of a reply-from, which may
// carry a display name ("Dr Jean Dupont <jean.dupont@…>", as Roundcube
// writes Sieve's vacation :from). A bare value is returned as written, for
// the trust check to judge; a value with a name is split as the reply's
// From will be, and a name that cannot go into a header field is reported
// here, at compile time, rather than when the first reply is built. It
// returns "" after reporting.
func (c *compiler) replyFromAddress(lit rules.Literal) string {
	from := strings.TrimSpace(lit.Value)
	if !strings.ContainsAny(from, "<>\"\r\n") {
		return from
	}
	_, addr, err := autoreply.ParseFrom(from)
	if err == nil {
		return addr
	}
	var fe *autoreply.FieldError
	problem := err.Error()
	if errors.As(err, &fe) {
		problem = fe.Problem
	}
	if i := strings.LastIndexByte(from, '<'); i >= 0 && strings.HasPrefix(problem, "address ") {
		// The trust check explains better what is wrong with the address.
		return from[i+1 : len(from)-1]
	}
	c.diag(rules.Error, rules.CodeInvalidAddress, lit.Range,
		fmt.Sprintf("%s %q cannot be the From of a reply: %s", replyFromWhat, lit.Value, problem),
		`write "Display Name <address@domain>" on one line, or the bare address`)
	return ""
}
