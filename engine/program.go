package engine

import (
	"time"

	"github.com/tamis-mss/tamis/mssante"
	"github.com/tamis-mss/tamis/rules"
)

// Program is a compiled policy. It is immutable and safe for concurrent use:
// any number of goroutines may call Evaluate at the same time.
type Program struct {
	opts    Options
	file    string
	loc     *time.Location
	mailbox string   // "" when neither the policy nor the options name it
	also    []string // the holder's other addresses
	list    *mssante.List
	stmts   []*statement
	// enabled lists the statements that are not disabled, in order; plain
	// those of them whose condition is not indexed.
	enabled, plain []int32
	// fromIndex and envIndex map a folded address to the statements (in
	// order) whose condition requires "from is" or "envelope from is" that
	// address.
	fromIndex, envIndex map[string][]int32
	// headerNames and addressNames are the header fields the program
	// reads, by cache slot (see evalState.values and evalState.addresses).
	headerNames, addressNames []string
	// layers are the programs of a layered policy, run in sequence (see
	// CompileLayers); nil for a program compiled from one policy.
	layers []*Program
}

// Header and address slots that every program has, for the predicates and
// the index.
const (
	slotFrom          = 0 // address slot of From
	slotAutoSubmitted = 0 // header slots
	slotXAutoreply    = 1
	slotXAutorespond  = 2
	slotPrecedence    = 3
	slotSubject       = 4
	slotMessageID     = 5
	slotReferences    = 6
)

var fixedHeaderSlots = []string{"Auto-Submitted", "X-Autoreply", "X-Autorespond", "Precedence", "Subject", "Message-Id", "References"}

// statement is a compiled rule or absence block.
type statement struct {
	idx      int32 // its position in its program's stmts
	name     string
	vacation bool
	disabled bool
	rng      span
	cond     *node // nil: always
	*absence       // an absence block's; nil for a rule
	actions  []*compiledAction
}

// absence is what an absence block has and a rule has not, apart from its
// statement so that rules do not carry it.
type absence struct {
	windows  []window
	reply    *replySpec // the absence block's reply
	replyAct *compiledAction
}

// absenceWindows returns the windows of an absence block, nil for a rule.
func (st *statement) absenceWindows() []window {
	if st.absence == nil {
		return nil
	}
	return st.windows
}

// window is a rules.Window read in the policy's zone: [from, until).
type window struct {
	from, until       time.Time
	hasFrom, hasUntil bool
	text              string // as written: "from 2025-12-20 18:00 until 2026-01-05"
	rng               rules.Range
}

func (w window) contains(t time.Time) bool {
	return (!w.hasFrom || !t.Before(w.from)) && (!w.hasUntil || t.Before(w.until))
}

// compiledAction is one action of a statement; stop is an action of its own.
type compiledAction struct {
	kind         ActionKind
	stop         bool
	target       mssante.Target
	folder       string
	reason       string
	*actionExtra // flag, reply and notify only; nil for the others
	rng          span
	stmt         *statement
}

// actionExtra is what flag, reply and notify actions have and the
// others, most of a policy's, have not.
type actionExtra struct {
	flags  []string
	reply  *replySpec
	notice *noticeSpec
}

// replySpec is a compiled absence reply.
type replySpec struct {
	text       string
	subject    string
	hasSubject bool
	from       string // the reply's From as written: "" means the mailbox
	fromAddr   string // the address part of from
	period     time.Duration
	handle     string
	id         string // autoreply.ResponseID of the reply
	rng        span
}

// Mailbox returns the mailbox address the program was compiled for, or ""
// when the envelope recipient of each delivery stands for it.
func (p *Program) Mailbox() string { return p.mailbox }

// Location returns the policy's time zone.
func (p *Program) Location() *time.Location { return p.loc }

// TrustList returns the trust list the program's targets were checked
// against at compile time.
func (p *Program) TrustList() *mssante.List { return p.list }

// Len returns the number of statements (rules and absence blocks).
func (p *Program) Len() int { return len(p.stmts) }

// span is a rules.Range in 40 bytes rather than 64, for the nodes, actions
// and statements of a program: lines, columns and offsets in 32 bits. A
// range beyond them (a policy of more than 2 GiB) is kept whole in long.
type span struct {
	file                   string
	sl, sc, so, el, ec, eo int32
	long                   *rules.Range
}

// spanOf returns r as a span.
func spanOf(r rules.Range) span {
	fits := func(vs ...int) bool {
		for _, v := range vs {
			if v != int(int32(v)) {
				return false
			}
		}
		return true
	}
	if !fits(r.Start.Line, r.Start.Column, r.Start.Offset, r.End.Line, r.End.Column, r.End.Offset) {
		long := r // only this copy escapes
		return span{long: &long}
	}
	return span{file: r.File,
		sl: int32(r.Start.Line), sc: int32(r.Start.Column), so: int32(r.Start.Offset),
		el: int32(r.End.Line), ec: int32(r.End.Column), eo: int32(r.End.Offset)}
}

// Range returns the span as a rules.Range.
func (s span) Range() rules.Range {
	if s.long != nil {
		return *s.long
	}
	return rules.Range{File: s.file,
		Start: rules.Pos{Line: int(s.sl), Column: int(s.sc), Offset: int(s.so)},
		End:   rules.Pos{Line: int(s.el), Column: int(s.ec), Offset: int(s.eo)}}
}
