package rules

import "iter"

// DefaultTimezone is the zone of a policy that names none.
const DefaultTimezone = "Europe/Paris"

// Policy is the policy of one mailbox.
type Policy struct {
	// File is the name the policy was read from, as given to the parser.
	File string
	// Mailbox is the address of the mailbox the policy belongs to, or nil
	// when the policy does not name it (the host then supplies it).
	Mailbox *Literal
	// Also lists the holder's other addresses (Sieve vacation :addresses):
	// mail to them counts as mail to the mailbox.
	Also []Literal
	// Timezone is the IANA zone of every date and time in the policy, or nil
	// for DefaultTimezone.
	Timezone *Literal
	// Statements holds the absence blocks and rules in source order, which
	// is the order of evaluation.
	Statements []Statement
	// Comments holds every "#" comment of the source, in order, for the
	// formatter.
	Comments []Comment
	// BlankLines lists, in increasing order, the numbers of the source lines
	// that were empty, so that the formatter keeps (at most one of) the blank
	// lines the author put between elements. Like ranges, it describes the
	// source, not the policy's meaning.
	BlankLines []int
}

// Zone returns the policy's time zone name, DefaultTimezone if none is set.
func (p *Policy) Zone() string {
	if p.Timezone == nil || p.Timezone.Value == "" {
		return DefaultTimezone
	}
	return p.Timezone.Value
}

// Statement is an element of Policy.Statements: a *Vacation or a *Rule.
type Statement interface {
	Source() Range
	// Label returns the name given to the statement by its author.
	Label() Literal
	// IsDisabled reports whether the author switched the statement off.
	IsDisabled() bool
	statement()
}

// Rules returns the policy's rules in order.
func (p *Policy) Rules() iter.Seq[*Rule] {
	return func(yield func(*Rule) bool) {
		for _, s := range p.Statements {
			if r, ok := s.(*Rule); ok && !yield(r) {
				return
			}
		}
	}
}

// Vacations returns the policy's absence blocks in order.
func (p *Policy) Vacations() iter.Seq[*Vacation] {
	return func(yield func(*Vacation) bool) {
		for _, s := range p.Statements {
			if v, ok := s.(*Vacation); ok && !yield(v) {
				return
			}
		}
	}
}

// Actions returns every action of the policy with the statement holding it,
// including the absence reply of each absence block.
func (p *Policy) Actions() iter.Seq2[Statement, Action] {
	return func(yield func(Statement, Action) bool) {
		for _, s := range p.Statements {
			var actions []Action
			switch s := s.(type) {
			case *Rule:
				actions = s.Actions
			case *Vacation:
				if !yield(s, &s.Reply) {
					return
				}
				actions = s.Actions
			}
			for _, a := range actions {
				if !yield(s, a) {
					return
				}
			}
		}
	}
}

// Rule is a named rule: when its condition holds, its actions apply.
//
//	rule "Redirection secrétariat" { when … copy to "…" }
type Rule struct {
	Node
	Name     Literal
	Disabled bool
	// When is the rule's condition; nil means the rule always applies.
	When    Condition
	Actions []Action
}

// Label returns the rule's name.
func (r *Rule) Label() Literal { return r.Name }

// IsDisabled reports whether the rule is marked disabled.
func (r *Rule) IsDisabled() bool { return r.Disabled }

func (*Rule) statement() {}

// Vacation is an absence block: during any of its windows (and when its
// optional condition holds) it sends the absence reply and applies its
// actions to incoming mail. It mirrors the Mailiz/Roundcube absence screen.
//
//	vacation "Congés d'hiver" { from 2025-12-20 until 2026-01-05 reply "…" }
type Vacation struct {
	Node
	Name     Literal
	Disabled bool
	// Windows are the periods of absence. None means the block applies
	// whenever it is enabled; several are alternatives.
	Windows []Window
	// When further restricts the block; nil means no restriction.
	When Condition
	// Reply is the absence reply; its Text is required.
	Reply Reply
	// Actions apply to incoming mail during the absence: nothing (the
	// message is kept), discard, reroute to, copy to, file into, flag.
	Actions []Action
}

// Label returns the block's name.
func (v *Vacation) Label() Literal { return v.Name }

// IsDisabled reports whether the block is switched off.
func (v *Vacation) IsDisabled() bool { return v.Disabled }

func (*Vacation) statement() {}
