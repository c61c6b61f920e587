package engine

import (
	"strings"

	"github.com/tamis-mss/tamis/mssante"
	"github.com/tamis-mss/tamis/rules"
)

// eval evaluates a compiled condition on the delivery.
func (s *evalState) eval(n *node) bool {
	if s.work++; s.work > s.p.opts.MaxSteps && s.err == nil {
		s.err = &BudgetError{What: "steps", Limit: int64(s.p.opts.MaxSteps)}
	}
	if s.err != nil {
		return false // the evaluation is over: the result is the fail-safe one
	}
	if s.scoped != nil && n.op >= opHeader && s.nodeDamage(n) {
		if s.trace {
			s.conds = append(s.conds, ConditionStep{Condition: n.text, Range: n.rng.Range(), Damaged: true})
		}
		if s.explain {
			s.recordNode(n, false, true)
		}
		return false // fails safe here; the statement will not apply
	}
	var r bool
	switch n.op {
	case opAlways:
		r = true
	case opNot:
		// Traced like a leaf, after its operand, so that the trace shows
		// the negation that decided.
		r = !s.eval(n.kids[0])
	case opAll:
		r = true
		for _, k := range n.kids {
			if !s.eval(k) {
				r = false
				break
			}
		}
		if s.explain {
			s.recordNode(n, r, false)
		}
		return r
	case opAny:
		for _, k := range n.kids {
			if s.eval(k) {
				r = true
				break
			}
		}
		if s.explain {
			s.recordNode(n, r, false)
		}
		return r
	case opHeader:
		r = s.header(n)
	case opAddress:
		r = s.address(n)
	case opBody:
		for _, v := range s.d.Message.BodyText() {
			if s.match(n.m, v) {
				r = true
				break
			}
		}
	case opSize:
		size := s.d.Message.Size()
		r = n.over && size > n.limit || !n.over && size < n.limit
	case opExists:
		r = true
		for _, slot := range n.slots {
			if len(s.values(slot)) == 0 {
				r = false
				break
			}
		}
	case opPredicate:
		r = s.predicate(n.pred)
	case opDuring:
		t := s.localTime()
		for _, span := range n.spans {
			if span.Contains(t) {
				r = true
				break
			}
		}
	case opBetween:
		r = n.win.contains(s.now)
	}
	if s.record {
		s.recordLeaf(n, r)
	}
	return r
}

// recordLeaf records the value of a leaf or a "not", for the trace and
// the explanations.
func (s *evalState) recordLeaf(n *node, r bool) {
	if s.trace {
		s.conds = append(s.conds, ConditionStep{Condition: n.text, Range: n.rng.Range(), Matched: r})
	}
	if s.explain {
		s.recordNode(n, r, false)
	}
}

func (s *evalState) header(n *node) bool {
	if n.m.foldsValues() {
		for _, slot := range n.slots {
			vs := s.values(slot)
			for i, fv := range s.foldedValues(slot) {
				if s.matchFoldedValue(n.m, vs[i], fv) {
					return true
				}
			}
		}
		return false
	}
	for _, slot := range n.slots {
		for _, v := range s.values(slot) {
			if s.match(n.m, v) {
				return true
			}
		}
	}
	return false
}

func (s *evalState) address(n *node) bool {
	switch n.field {
	case rules.FieldEnvelopeFrom:
		return s.matchAddress(n, s.envFrom)
	case rules.FieldEnvelopeTo:
		return s.matchAddress(n, envelopeAddress(s.d.EnvelopeTo))
	}
	for _, slot := range n.slots {
		for _, a := range s.addresses(slot) {
			var v string
			switch n.part {
			case rules.PartLocal:
				v = a.Local
			case rules.PartDomain:
				v = a.Domain
			default:
				v = s.addressValue(a)
			}
			if s.match(n.m, v) {
				return true
			}
		}
	}
	return false
}

// matchAddress matches the part n tests of the address text addr.
func (s *evalState) matchAddress(n *node, addr string) bool {
	local, domain := splitAddress(addr)
	switch n.part {
	case rules.PartLocal:
		return s.match(n.m, local)
	case rules.PartDomain:
		return s.match(n.m, domain)
	}
	return s.match(n.m, addr)
}

// splitAddress splits at the last "@"; without one, all is the local part.
func splitAddress(addr string) (local, domain string) {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[:i], addr[i+1:]
	}
	return addr, ""
}

// sender returns "the sender" of the predicates: the envelope sender, or
// the From address when the envelope sender is empty.
func (s *evalState) sender() (addr string, null bool) {
	if a := s.envFrom; a != "" {
		return a, false
	}
	if from := s.addresses(slotFrom); len(from) > 0 {
		return s.addressValue(from[0]), true
	}
	return "", true
}

func (s *evalState) predicate(p rules.Predicate) bool {
	m := s.d.Message
	switch p {
	case rules.SenderPatient:
		addr, _ := s.sender()
		_, domain := splitAddress(addr)
		return strings.EqualFold(domain, mssante.PatientDomain)
	case rules.SenderTrusted, rules.SenderUntrusted:
		addr, _ := s.sender()
		_, domain := splitAddress(addr)
		trusted := domain != "" && s.list.Contains(domain)
		return trusted == (p == rules.SenderTrusted)
	case rules.MessageAutoReply:
		for _, v := range s.values(slotAutoSubmitted) {
			token, _, _ := strings.Cut(v, ";")
			if t := trimSpace(token); t != "" && !strings.EqualFold(t, "no") {
				return true
			}
		}
		if len(s.values(slotXAutoreply)) > 0 || len(s.values(slotXAutorespond)) > 0 {
			return true
		}
		return s.precedence("auto_reply")
	case rules.MessageReadReceipt:
		return s.report("message/disposition-notification", "disposition-notification")
	case rules.MessageBounce:
		return s.envFrom == "" || s.report("message/delivery-status", "delivery-status")
	case rules.MessageMailingList:
		for _, f := range m.Fields() {
			if hasPrefixASCIIFold(f.Name, "list-") {
				return true
			}
		}
		return s.precedence("bulk", "list", "junk")
	}
	return false
}

// report reports whether the message is a multipart/report of the given
// report-type, or the bare report part itself.
func (s *evalState) report(part, reportType string) bool {
	mt, params := s.d.Message.MediaType()
	if strings.EqualFold(mt, part) {
		return true
	}
	return strings.EqualFold(mt, "multipart/report") && strings.EqualFold(trimSpace(params["report-type"]), reportType)
}

func (s *evalState) precedence(values ...string) bool {
	for _, v := range s.values(slotPrecedence) {
		for _, want := range values {
			if strings.EqualFold(trimSpace(v), want) {
				return true
			}
		}
	}
	return false
}
