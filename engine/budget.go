package engine

import (
	"fmt"

	"github.com/tamis-mss/tamis/rules"
)

// Defaults of the evaluation budget and of the compile-time limits: no
// realistic policy reaches them, a hostile one (thousands of body regular
// expressions on a 1 MiB body) stops there.
const (
	// DefaultMaxSteps bounds the condition nodes evaluated for one
	// message. A policy of 10,000 rules of ten tests each stays below it.
	DefaultMaxSteps = 1_000_000
	// DefaultMaxScanBytes bounds the bytes that matching reads for one
	// message, counted once per key compared with a value: 128 body tests
	// with one "contains" key each on a body of 1 MiB. A glob counts 4 per
	// character it reads (backtracking included), a regular expression 1
	// per RE2 instruction per byte (RE2 may run every instruction on each
	// byte).
	DefaultMaxScanBytes = 128 << 20
	// DefaultMaxRegexInsts bounds the size of all the regular expressions
	// of a policy together, in RE2 program instructions (a simple
	// expression has 10 to 50).
	DefaultMaxRegexInsts = 100_000
	// DefaultMaxScanKeys bounds the "contains", "matches" and "regex" keys
	// of a policy together: each is compared with every value it tests.
	// "is" keys, looked up in a set, do not count.
	DefaultMaxScanKeys = 20_000
)

// BudgetError is the error of an evaluation that exceeded its budget
// (Options.MaxSteps or Options.MaxScanBytes): the message was kept, as
// Pigeonhole keeps a message whose script exceeds its CPU time.
type BudgetError struct {
	What  string // "steps" or "bytes scanned"
	Limit int64
}

// Error names the budget.
func (e *BudgetError) Error() string {
	return fmt.Sprintf("evaluation budget exceeded: more than %d %s for one message (a policy that tests too much; the message is kept)", e.Limit, e.What)
}

// match matches v with m within the budget of bytes scanned: each key
// that reads v costs len(v), a regular expression len(v) times its weight,
// and a glob what it reads, backtracking included. When the budget is exceeded the
// evaluation ends with a BudgetError.
func (s *evalState) match(m *matcher, v string) bool {
	if s.err != nil {
		return false
	}
	left := s.p.opts.MaxScanBytes - s.scanned
	var cost int64
	switch {
	case m.kind == rules.Matches:
		ok, used := m.matchGlobs(v, left)
		s.scanned += used
		if used >= left && !ok {
			s.overBudget()
		}
		return ok
	case m.set != nil:
		cost = int64(len(v)) + 1
	default:
		cost = (int64(len(v)) + 1) * m.weight()
	}
	if cost > left {
		s.scanned = s.p.opts.MaxScanBytes
		s.overBudget()
		return false
	}
	s.scanned += cost
	return m.match(v, &s.scratch)
}

func (s *evalState) overBudget() {
	if s.err == nil {
		s.err = &BudgetError{What: "bytes scanned", Limit: s.p.opts.MaxScanBytes}
	}
}
