package engine

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tamis-mss/tamis/rules"
)

// Outcome is what became of one statement in an evaluation.
type Outcome int

// Outcomes of a statement.
const (
	// OutcomeApplied: its windows and condition held, its actions ran.
	OutcomeApplied Outcome = iota
	// OutcomeNotApplied: a condition failed (Explanation.Conditions).
	OutcomeNotApplied
	// OutcomeDisabled: the statement is disabled.
	OutcomeDisabled
	// OutcomeOutsideWindows: an absence block outside all its windows.
	OutcomeOutsideWindows
	// OutcomeDamaged: a condition read a value the message did not give
	// faithfully; the statement did not apply (see Result.Damaged).
	OutcomeDamaged
	// OutcomeNotReached: an earlier statement ended the evaluation with
	// "stop" (Explanation.StoppedBy), or an error ended it.
	OutcomeNotReached
)

var outcomeNames = [...]string{
	OutcomeApplied:        "applied",
	OutcomeNotApplied:     "not-applied",
	OutcomeDisabled:       "disabled",
	OutcomeOutsideWindows: "outside-windows",
	OutcomeDamaged:        "damaged",
	OutcomeNotReached:     "not-reached",
}

// String returns the name of the outcome: applied, not-applied, disabled,
// outside-windows, damaged or not-reached.
func (o Outcome) String() string {
	if o >= 0 && int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return "invalid"
}

// MarshalText encodes the outcome as its name, for JSON output.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// Evidence is one condition of an explanation, with the values it
// compared.
type Evidence struct {
	// Condition is the condition as written (a "not" over a single test
	// is written "not …"); for an absence block's window, the window as
	// written ("from 2025-12-20 18:00 until 2026-01-05").
	Condition string
	Range     rules.Range
	// Window is true for an absence block's window.
	Window bool
	// Held is the value of the condition.
	Held bool
	// Damaged is true when the condition read a damaged value and was not
	// tested.
	Damaged bool
	// Values are the values the condition compared, as the message gave
	// them: the addresses (or their local or domain part) of an address
	// test, the decoded values of a header test, the beginning of each text
	// part of a body test, the size of a size test, the address or fields
	// a predicate read ("Precedence: bulk"), the delivery time in the
	// policy's zone for during, between and windows. Empty when the
	// message has no such value (a missing header field). At most
	// maxEvidenceValues values, each cut at maxEvidenceLen bytes.
	Values []string
}

// String writes the evidence as `from is "x@y": false (seen "a@b")`.
func (e Evidence) String() string {
	var b strings.Builder
	b.WriteString(e.Condition)
	switch {
	case e.Damaged:
		b.WriteString(": not tested (damaged value)")
	case e.Held:
		b.WriteString(": true")
	default:
		b.WriteString(": false")
	}
	if len(e.Values) > 0 {
		b.WriteString(" (seen ")
		for i, v := range e.Values {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Quote(v))
		}
		b.WriteString(")")
	} else if !e.Damaged && valuesExpected(e.Condition) {
		b.WriteString(" (no value)")
	}
	return b.String()
}

// valuesExpected reports whether a condition reads values, so that none
// seen is worth saying.
func valuesExpected(cond string) bool {
	return !strings.HasPrefix(cond, "always") && !strings.HasPrefix(cond, "exists") && !strings.HasPrefix(cond, "not ")
}

// Explanation says why one statement acted or did not, in the evaluation
// of Delivery.Explain (or Options.Explain).
type Explanation struct {
	Rule     string
	Vacation bool // an absence block rather than a rule
	Range    rules.Range
	Outcome  Outcome
	// Conditions explain the outcome. For a statement that applied: the
	// window that held (absence blocks), then the conditions that held
	// (every operand of an "all", the operand that held of an "any"); empty
	// for a statement without condition. For one that did not apply: the
	// condition that failed first (the failing operand of an "all", every
	// operand of an "any"); for a statement the "from is" index skipped
	// without evaluating it, its indexed "from is" test, with the
	// addresses the message carried. For an absence block outside its
	// windows: every window, with the delivery time. For a damaged one: the
	// condition not tested.
	Conditions []Evidence
	// StoppedBy names the statement whose "stop" ended the evaluation
	// before this one (OutcomeNotReached); empty when an error ended it.
	StoppedBy string
	// ShadowedBy names, for a statement that applied with a reply, the
	// earlier statement whose reply is the message's only one.
	ShadowedBy string
	// Suppressed tells, for the statement whose reply applied, why it was
	// not sent (as Result.Suppressed).
	Suppressed *Suppressed
}

// String describes the explanation on one line.
func (e Explanation) String() string {
	kind := "rule"
	if e.Vacation {
		kind = "vacation"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %q at %s: %s", kind, e.Rule, e.Range, e.Outcome)
	if e.StoppedBy != "" {
		fmt.Fprintf(&b, " (stopped by %q)", e.StoppedBy)
	}
	for i, c := range e.Conditions {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(c.String())
	}
	if e.ShadowedBy != "" {
		fmt.Fprintf(&b, "; no reply: the reply of %q came first", e.ShadowedBy)
	}
	if s := e.Suppressed; s != nil {
		fmt.Fprintf(&b, "; no reply: %s: %s", s.Code, s.Reason)
	}
	return b.String()
}

// ExplanationString describes Result.Explanations, one line each.
func (r Result) ExplanationString() string {
	var b strings.Builder
	for _, e := range r.Explanations {
		b.WriteString(e.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// Limits of Evidence.Values.
const (
	maxEvidenceValues = 8
	maxEvidenceLen    = 200
)

// visit is one statement run, recorded for the trace and the
// explanations.
type visit struct {
	st       *statement
	inWindow bool
	matched  bool
	stopped  bool
	damaged  bool
	conds    []ConditionStep
	nodes    []nodeResult
}

// nodeResult is one condition node evaluated, recorded when explaining.
type nodeResult struct {
	n       *node
	held    bool
	damaged bool
	values  []string // leaves only
}

// recordNode records the result of n, when explaining.
func (s *evalState) recordNode(n *node, held, damaged bool) {
	var values []string
	if n.op >= opHeader && !damaged {
		values = s.seen(n)
	}
	s.nodes = append(s.nodes, nodeResult{n: n, held: held, damaged: damaged, values: values})
}

// seen returns the values leaf n compares, copied.
func (s *evalState) seen(n *node) []string {
	var out []string
	add := func(v string) bool {
		if len(out) == maxEvidenceValues {
			return false
		}
		out = append(out, cut(v))
		return true
	}
	switch n.op {
	case opHeader:
		for _, slot := range n.slots {
			for _, v := range s.values(slot) {
				if !add(v) {
					return out
				}
			}
		}
	case opAddress:
		part := func(addr string) string {
			local, domain := splitAddress(addr)
			switch n.part {
			case rules.PartLocal:
				return local
			case rules.PartDomain:
				return domain
			}
			return addr
		}
		switch n.field {
		case rules.FieldEnvelopeFrom:
			add(part(envelopeAddress(s.d.EnvelopeFrom)))
			return out
		case rules.FieldEnvelopeTo:
			add(part(envelopeAddress(s.d.EnvelopeTo)))
			return out
		}
		for _, slot := range n.slots {
			for _, a := range s.addresses(slot) {
				if !add(part(s.addressValue(a))) {
					return out
				}
			}
		}
	case opBody:
		for _, v := range s.d.Message.BodyText() {
			if !add(strings.Join(strings.Fields(v), " ")) {
				return out
			}
		}
	case opSize:
		add(strconv.FormatInt(s.d.Message.Size(), 10))
	case opPredicate:
		return s.predicateSeen(n.pred)
	case opDuring, opBetween:
		add(s.localTime().Format("Mon 2006-01-02 15:04 MST"))
	}
	return out
}

// predicateSeen returns what a predicate read, as "Field: value" lines or
// the sender's address.
func (s *evalState) predicateSeen(p rules.Predicate) []string {
	var out []string
	fields := func(slots ...int) {
		for _, slot := range slots {
			for _, v := range s.values(slot) {
				if len(out) < maxEvidenceValues {
					out = append(out, cut(s.p.headerNames[slot]+": "+v))
				}
			}
		}
	}
	switch p {
	case rules.SenderPatient, rules.SenderTrusted, rules.SenderUntrusted:
		if addr, _ := s.sender(); addr != "" {
			out = append(out, cut(addr))
		}
	case rules.MessageAutoReply:
		fields(slotAutoSubmitted, slotXAutoreply, slotXAutorespond, slotPrecedence)
	case rules.MessageReadReceipt, rules.MessageBounce:
		if p == rules.MessageBounce && envelopeAddress(s.d.EnvelopeFrom) == "" {
			out = append(out, "<>")
		}
		if mt, params := s.d.Message.MediaType(); mt != "" {
			if rt := params["report-type"]; rt != "" {
				mt += "; report-type=" + rt
			}
			out = append(out, cut("Content-Type: "+mt))
		}
	case rules.MessageMailingList:
		fields(slotPrecedence)
		for _, f := range s.d.Message.Fields() {
			if hasPrefixASCIIFold(f.Name, "list-") && len(out) < maxEvidenceValues {
				out = append(out, cut(f.Name+": "+f.Value))
			}
		}
	}
	return out
}

// cut shortens v to maxEvidenceLen bytes, on a character boundary, and
// copies it (v may be scratch space).
func cut(v string) string {
	if len(v) <= maxEvidenceLen {
		return strings.Clone(v)
	}
	i := maxEvidenceLen
	for i > 0 && !utf8.RuneStart(v[i]) {
		i--
	}
	return v[:i] + "…"
}

func isLeaf(n *node) bool { return n.op != opNot && n.op != opAll && n.op != opAny }

func findNode(nodes []nodeResult, n *node) (nodeResult, bool) {
	for i := len(nodes) - 1; i >= 0; i-- {
		if nodes[i].n == n {
			return nodes[i], true
		}
	}
	return nodeResult{}, false
}

// evidence explains the recorded value of n: the leaves that made it
// what it was.
func evidence(nodes []nodeResult, n *node) []Evidence {
	r, ok := findNode(nodes, n)
	if !ok {
		return nil // not evaluated
	}
	switch n.op {
	case opNot:
		k := n.kids[0]
		if isLeaf(k) {
			kr, _ := findNode(nodes, k)
			return []Evidence{{Condition: n.text, Range: n.rng.Range(), Held: r.held, Damaged: kr.damaged, Values: kr.values}}
		}
		return evidence(nodes, k)
	case opAll, opAny:
		var out []Evidence
		every := n.op == opAll && r.held || n.op == opAny && !r.held
		for _, k := range n.kids {
			kr, ok := findNode(nodes, k)
			if !ok {
				continue
			}
			if every {
				out = append(out, evidence(nodes, k)...)
			} else if kr.held == r.held {
				return evidence(nodes, k) // the operand that decided
			}
		}
		return out
	}
	return []Evidence{{Condition: n.text, Range: n.rng.Range(), Held: r.held, Damaged: r.damaged, Values: r.values}}
}

// complete records the statements of p that the run starting at visits
// [start:] did not visit, in source order, for the trace and the
// explanations: the disabled ones, those the index skipped, those after
// the statement that ended the run.
func (s *evalState) complete(p *Program, start int) {
	visits := s.visits[start:]
	if s.explain && s.expls == nil {
		s.expls = make([]Explanation, 0, len(p.stmts))
		s.explStmts = make([]*statement, 0, len(p.stmts))
	}
	last := len(p.stmts)
	var stopper string
	if n := len(visits); n > 0 && (visits[n-1].stopped || s.err != nil) {
		last = int(visits[n-1].st.idx)
		if visits[n-1].stopped {
			stopper = visits[n-1].st.name
		}
	}
	j := 0
	for i, st := range p.stmts {
		if j < len(visits) && visits[j].st == st {
			s.recordVisit(&visits[j])
			j++
			continue
		}
		step := Step{Rule: st.name, Vacation: st.vacation, Range: st.rng.Range(), InWindow: true}
		e := Explanation{Rule: st.name, Vacation: st.vacation, Range: st.rng.Range()}
		switch {
		case i > last:
			if !s.explain {
				continue
			}
			e.Outcome, e.StoppedBy = OutcomeNotReached, stopper
			s.addExpl(st, e)
			continue
		case st.disabled:
			step.Disabled = true
			e.Outcome = OutcomeDisabled
		default:
			// Skipped by the index: its "from is" test cannot hold.
			step.Indexed = true
			e.Outcome = OutcomeNotApplied
			if leaf := indexableLeaf(st); leaf != nil {
				step.Conditions = []ConditionStep{{Condition: leaf.text, Range: leaf.rng.Range()}}
				if s.explain {
					e.Conditions = []Evidence{{Condition: leaf.text, Range: leaf.rng.Range(), Values: s.seen(leaf)}}
				}
			}
		}
		if s.trace {
			s.steps = append(s.steps, step)
		}
		if s.explain {
			s.addExpl(st, e)
		}
	}
}

// recordVisit turns a visit into its trace step and explanation.
func (s *evalState) recordVisit(v *visit) {
	st := v.st
	if s.trace {
		s.steps = append(s.steps, Step{Rule: st.name, Vacation: st.vacation, Range: st.rng.Range(), Disabled: st.disabled,
			InWindow: v.inWindow, Matched: v.matched, Stopped: v.stopped, Conditions: v.conds})
	}
	if !s.explain {
		return
	}
	e := Explanation{Rule: st.name, Vacation: st.vacation, Range: st.rng.Range()}
	switch {
	case st.disabled:
		e.Outcome = OutcomeDisabled
	case !v.inWindow:
		e.Outcome = OutcomeOutsideWindows
		for _, w := range st.absenceWindows() {
			e.Conditions = append(e.Conditions, s.windowEvidence(w, false))
		}
	case v.damaged:
		e.Outcome = OutcomeDamaged
		for _, r := range v.nodes {
			if r.damaged {
				e.Conditions = append(e.Conditions, Evidence{Condition: r.n.text, Range: r.n.rng.Range(), Damaged: true})
			}
		}
	case v.matched:
		e.Outcome = OutcomeApplied
		for _, w := range st.absenceWindows() {
			if w.contains(s.now) {
				e.Conditions = append(e.Conditions, s.windowEvidence(w, true))
				break
			}
		}
		if st.cond != nil {
			e.Conditions = append(e.Conditions, evidence(v.nodes, st.cond)...)
		}
		if s.reply != nil && s.reply.stmt != st && hasReply(st) {
			e.ShadowedBy = s.reply.stmt.name
		}
	default:
		e.Outcome = OutcomeNotApplied
		if st.cond != nil {
			e.Conditions = evidence(v.nodes, st.cond)
		}
	}
	s.addExpl(st, e)
}

func (s *evalState) windowEvidence(w window, held bool) Evidence {
	return Evidence{Condition: w.text, Range: w.rng, Window: true, Held: held, Values: []string{s.localTime().Format("Mon 2006-01-02 15:04 MST")}}
}

// hasReply reports whether st answers the message.
func hasReply(st *statement) bool {
	if st.absence != nil && st.replyAct != nil {
		return true
	}
	for _, a := range st.actions {
		if a.stop {
			return false
		}
		if a.kind == ActionReply {
			return true
		}
	}
	return false
}

// explanationOf returns the explanation recorded for st, or nil.
func (s *evalState) explanationOf(st *statement) *Explanation {
	for i := len(s.expls) - 1; i >= 0; i-- {
		if s.explStmts[i] == st {
			return &s.expls[i]
		}
	}
	return nil
}

// because returns the conditions that made st apply, when explaining.
func (s *evalState) because(st *statement) []Evidence {
	if !s.explain {
		return nil
	}
	if e := s.explanationOf(st); e != nil {
		if e.Conditions == nil {
			return []Evidence{}
		}
		return e.Conditions
	}
	return nil
}

func (s *evalState) addExpl(st *statement, e Explanation) {
	s.expls = append(s.expls, e)
	s.explStmts = append(s.explStmts, st)
}
