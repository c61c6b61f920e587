package engine

import (
	"errors"
	"fmt"

	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/rules"
)

// ScopedProblems is what a Message with problems may tell of their scope,
// so that a problem makes unreliable only what it concerns.
// *message.Message implements it. A Message without it that reports
// problems is not filtered at all (the fail-safe result).
type ScopedProblems interface {
	// HeaderProblems returns the problems that make the named header
	// field unreliable; nil when it was read faithfully.
	HeaderProblems(name string) []error
	// BodyProblems returns the problems that make BodyText unreliable;
	// nil when it was read faithfully. A body cut at the size limit is one
	// of them; BodyTruncated tells it apart.
	BodyProblems() []error
	// BodyTruncated reports whether BodyText holds only the beginning of
	// the text of the message.
	BodyTruncated() bool
}

// Damage is a condition that read a value the message did not give
// faithfully: its statement did not apply, whatever the other conditions
// said, and the implicit keep holds.
type Damage struct {
	Rule      string      // the statement
	Vacation  bool        // the statement is an absence block
	Condition string      // the condition, as written
	Range     rules.Range // the condition
	Field     string      // the header field read, or "body"
	Err       error       // the first problem of that field
}

// String describes the damage on one line.
func (d Damage) String() string {
	if d.Field == bodyField {
		return fmt.Sprintf("%s: %q: %s not tested: the body could not be read: %v", d.Range, d.Rule, d.Condition, d.Err)
	}
	return fmt.Sprintf("%s: %q: %s not tested: the %s field could not be read: %v", d.Range, d.Rule, d.Condition, d.Field, d.Err)
}

// bodyField is Damage.Field for the body.
const bodyField = "body"

// headerDamage returns the first problem that makes the header field name
// unreliable, or nil.
func (s *evalState) headerDamage(name string) error {
	if s.scoped == nil {
		return nil
	}
	if probs := s.scoped.HeaderProblems(name); len(probs) > 0 {
		return probs[0]
	}
	return nil
}

// bodyDamage returns the first problem that makes the body text
// unreliable, or nil. A body cut at the size limit is not one: body tests
// read its beginning (Result.BodyTruncated says so).
func (s *evalState) bodyDamage() error {
	if s.scoped == nil {
		return nil
	}
	for _, e := range s.scoped.BodyProblems() {
		var p *message.Problem
		if errors.As(e, &p) && p.Kind == message.KindBodyTooLarge {
			continue
		}
		return e
	}
	return nil
}

// damaged records that n read the damaged field: the statement being run
// does not apply.
func (s *evalState) damaged(n *node, field string, err error) {
	s.stmtDamaged = true
	if len(s.damage) < maxDamage {
		s.damage = append(s.damage, Damage{Rule: s.stmt.name, Vacation: s.stmt.vacation, Condition: n.text, Range: n.rng.Range(), Field: field, Err: err})
	}
}

// maxDamage bounds the damage reported for one message.
const maxDamage = 32

// nodeDamage checks the fields leaf n reads; it reports whether one is
// damaged (and records it).
func (s *evalState) nodeDamage(n *node) bool {
	switch n.op {
	case opHeader, opExists:
		for _, name := range n.names {
			if err := s.headerDamage(name); err != nil {
				s.damaged(n, name, err)
				return true
			}
		}
	case opAddress:
		if n.field == rules.FieldEnvelopeFrom || n.field == rules.FieldEnvelopeTo {
			return false
		}
		for _, name := range n.names {
			if err := s.headerDamage(name); err != nil {
				s.damaged(n, name, err)
				return true
			}
		}
	case opBody:
		if err := s.bodyDamage(); err != nil {
			s.damaged(n, bodyField, err)
			return true
		}
		if s.scoped.BodyTruncated() {
			s.truncated = true
		}
	case opPredicate:
		for _, name := range predicateFields(n.pred, s.envFrom == "") {
			if err := s.headerDamage(name); err != nil {
				s.damaged(n, name, err)
				return true
			}
		}
	}
	return false
}

// predicateFields are the header fields a predicate reads ("" stands for
// every field: the header as a whole).
func predicateFields(p rules.Predicate, nullSender bool) []string {
	switch p {
	case rules.SenderPatient, rules.SenderTrusted, rules.SenderUntrusted:
		if nullSender {
			return []string{"From"}
		}
	case rules.MessageAutoReply:
		return []string{"Auto-Submitted", "X-Autoreply", "X-Autorespond", "Precedence"}
	case rules.MessageReadReceipt, rules.MessageBounce:
		return []string{"Content-Type"}
	case rules.MessageMailingList:
		return []string{"Precedence", ""}
	}
	return nil
}

// replyFields are the header fields whose damage suppresses the absence
// reply: the recipients (is the holder addressed?), the auto-reply
// markers, the media type (a report?) and the header as a whole (List-*
// fields).
var replyFields = []string{"To", "Cc", "Bcc", "Resent-To", "Resent-Cc", "Resent-Bcc",
	"Auto-Submitted", "X-Autoreply", "X-Autorespond", "Precedence", "Content-Type", ""}

// replyDamage returns the first problem of a field the reply depends on,
// and its name, or nil.
func (s *evalState) replyDamage() (string, error) {
	for _, name := range replyFields {
		if err := s.headerDamage(name); err != nil {
			return name, err
		}
	}
	return "", nil
}
