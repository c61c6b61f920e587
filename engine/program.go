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
	rng      rules.Range
	cond     *node // nil: always
	windows  []window
	reply    *replySpec // the absence block's reply
	replyAct *compiledAction
	actions  []*compiledAction
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
	kind   ActionKind
	stop   bool
	target mssante.Target
	folder string
	reason string
	flags  []string
	reply  *replySpec
	notice *noticeSpec
	rng    rules.Range
	stmt   *statement
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
	rng        rules.Range
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
