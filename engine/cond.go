package engine

import (
	"fmt"
	"net/textproto"
	"regexp/syntax"
	"strings"

	"github.com/tamis-mss/tamis/rules"
)

type nodeOp uint8

const (
	opAlways nodeOp = iota
	opNot
	opAll
	opAny
	opHeader
	opAddress
	opBody
	opSize
	opExists
	opPredicate
	opDuring
	opBetween
)

// node is a compiled condition. Leaves carry what they test, decided at
// compile time, and their text as written for the trace.
type node struct {
	op        nodeOp
	kids      []*node
	m         *matcher
	names     []string // canonical header names (header, exists, address "…")
	slots     []int    // the cache slot of each name (header or address slots)
	field     rules.AddressField
	part      rules.AddressPart
	pred      rules.Predicate
	*nodeTime // size, during and between only; nil for the others
	text      string
	rng       span
}

// nodeTime is what the size, during and between tests have and the
// others, most of a policy's, have not.
type nodeTime struct {
	over  bool
	limit int64
	spans []rules.WeeklySpan
	win   window
}

func (c *compiler) condition(cond rules.Condition) *node {
	if cond == nil {
		return nil
	}
	n := &node{rng: spanOf(cond.Source())}
	switch cond := cond.(type) {
	case *rules.Always:
		n.op = opAlways
	case *rules.Not:
		n.op = opNot
		n.kids = []*node{c.condition(cond.Cond)}
		if n.kids[0] == nil {
			n.kids[0] = &node{op: opAlways, rng: n.rng}
		}
	case *rules.All:
		n.op = opAll
		for _, k := range cond.Conds {
			if kn := c.condition(k); kn != nil {
				n.kids = append(n.kids, kn)
			}
		}
	case *rules.Any:
		n.op = opAny
		for _, k := range cond.Conds {
			if kn := c.condition(k); kn != nil {
				n.kids = append(n.kids, kn)
			}
		}
	case *rules.HeaderTest:
		n.op = opHeader
		n.names = canonicalNames(cond.Names)
		n.slots = c.headerSlots(n.names)
		n.m = c.match(cond.Match)
	case *rules.AddressTest:
		n.op = opAddress
		n.field, n.part = cond.Field, cond.Part
		switch {
		case cond.Field == rules.FieldHeader:
			n.names = canonicalNames(cond.Headers)
		case cond.Field.HeaderName() != "":
			n.names = fieldNames(cond.Field)
		}
		n.slots = c.addressSlots(n.names)
		n.m = c.match(cond.Match)
		c.checkDisplayNameKeys(cond)
	case *rules.BodyTest:
		n.op = opBody
		n.m = c.match(cond.Match)
	case *rules.SizeTest:
		n.op, n.nodeTime = opSize, &nodeTime{over: cond.Over, limit: cond.Limit}
	case *rules.ExistsTest:
		n.op = opExists
		n.names = canonicalNames(cond.Names)
		n.slots = c.headerSlots(n.names)
	case *rules.PredicateTest:
		n.op, n.pred = opPredicate, cond.Predicate
	case *rules.DuringTest:
		n.op, n.nodeTime = opDuring, &nodeTime{spans: cond.Spans}
	case *rules.BetweenTest:
		n.op, n.nodeTime = opBetween, &nodeTime{win: c.window(cond.Window)}
	default:
		c.diag(rules.Error, rules.CodeInvalidValue, cond.Source(), fmt.Sprintf("unknown condition %T", cond), "")
		n.op = opAlways
	}
	n.text = describe(cond)
	return n
}

func (c *compiler) match(m rules.Match) *matcher {
	if m.Kind != rules.Is {
		before := c.scanKeys
		c.scanKeys += len(m.Keys)
		if before <= c.opts.MaxScanKeys && c.scanKeys > c.opts.MaxScanKeys {
			c.diag(rules.Error, rules.CodeLimit, m.Keys[c.opts.MaxScanKeys-before].Range,
				fmt.Sprintf("the policy has more than %d \"contains\", \"matches\" and \"regex\" keys: each is compared with every value it tests", c.opts.MaxScanKeys),
				"use \"is\" for exact values (looked up, not compared one by one), or fewer keys")
		}
		if c.scanKeys > c.opts.MaxScanKeys {
			return &matcher{kind: m.Kind} // reported; the program will not be built
		}
	}
	if m.Kind == rules.Regex {
		for _, k := range m.Keys {
			if c.regexInsts > c.opts.MaxRegexInsts || c.interrupted() {
				break // already reported: the rest is not even parsed
			}
			before := c.regexInsts
			c.regexInsts += regexSize(k.Value, !m.CaseSensitive)
			if before <= c.opts.MaxRegexInsts && c.regexInsts > c.opts.MaxRegexInsts {
				c.diag(rules.Error, rules.CodeLimit, k.Range,
					fmt.Sprintf("the regular expressions of the policy are too large together: more than %d RE2 instructions", c.opts.MaxRegexInsts),
					"use fewer or simpler regular expressions, or \"contains\" and \"matches\"")
			}
		}
		if c.regexInsts > c.opts.MaxRegexInsts || c.cancelled {
			return &matcher{kind: m.Kind} // reported; not compiled, which is what costs
		}
	}
	return compileMatch(m, func(key rules.Literal, err error) {
		c.diag(rules.Error, rules.CodeInvalidRegex, key.Range,
			fmt.Sprintf("invalid regular expression %q: %v", key.Value, err),
			"the syntax is RE2's (https://github.com/google/re2/wiki/Syntax); use \"matches\" for * and ? globs")
	})
}

// addressFieldNames holds, for each address field with a header, the list
// of its one name, shared by every node that tests it (read only).
var addressFieldNames = func() map[rules.AddressField][]string {
	m := map[rules.AddressField][]string{}
	for _, f := range []rules.AddressField{rules.FieldFrom, rules.FieldTo, rules.FieldCc, rules.FieldBcc, rules.FieldSender, rules.FieldReplyTo} {
		m[f] = []string{f.HeaderName()}
	}
	return m
}()

// fieldNames returns the list of the header name of f, shared (read
// only): a node does not carry a list of its own for "from is".
func fieldNames(f rules.AddressField) []string {
	if names, ok := addressFieldNames[f]; ok {
		return names[:1:1]
	}
	return []string{f.HeaderName()}
}

func canonicalNames(ls []rules.Literal) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = textproto.CanonicalMIMEHeaderKey(strings.TrimSpace(l.Value))
	}
	return out
}

// describe writes a condition as in the language, for the trace.
func describe(cond rules.Condition) string {
	switch cond := cond.(type) {
	case *rules.Always:
		return "always"
	case *rules.Not:
		return "not " + describe(cond.Cond)
	case *rules.All, *rules.Any:
		word, kids := "all", []rules.Condition(nil)
		if a, ok := cond.(*rules.All); ok {
			kids = a.Conds
		} else {
			word, kids = "any", cond.(*rules.Any).Conds
		}
		parts := make([]string, len(kids))
		for i, k := range kids {
			parts[i] = describe(k)
		}
		return word + " { " + strings.Join(parts, "; ") + " }"
	case *rules.HeaderTest:
		if len(cond.Names) == 1 && strings.EqualFold(cond.Names[0].Value, "Subject") {
			return "subject " + describeMatch(cond.Match)
		}
		return "header " + describeList(cond.Names) + " " + describeMatch(cond.Match)
	case *rules.AddressTest:
		s := cond.Field.String()
		if cond.Field == rules.FieldHeader {
			s += " " + describeList(cond.Headers)
		}
		if p := cond.Part.String(); p != "" {
			s += " " + p
		}
		return s + " " + describeMatch(cond.Match)
	case *rules.BodyTest:
		return "body " + describeMatch(cond.Match)
	case *rules.SizeTest:
		if cond.Over {
			return "size over " + describeSize(cond.Limit)
		}
		return "size under " + describeSize(cond.Limit)
	case *rules.ExistsTest:
		return "exists " + describeList(cond.Names)
	case *rules.PredicateTest:
		return cond.Predicate.String()
	case *rules.DuringTest:
		parts := make([]string, len(cond.Spans))
		for i, s := range cond.Spans {
			parts[i] = describeDays(s.Days) + " " + s.Start.String() + "-" + s.End.String()
		}
		return "during " + strings.Join(parts, ", ")
	case *rules.BetweenTest:
		var from, until string
		if cond.Window.From != nil {
			from = cond.Window.From.String()
		}
		if cond.Window.Until != nil {
			until = cond.Window.Until.String()
		}
		return "between " + from + " and " + until
	}
	return fmt.Sprintf("%T", cond)
}

func describeMatch(m rules.Match) string {
	s := m.Kind.String() + " " + describeList(m.Keys)
	if m.CaseSensitive {
		s += " case-sensitive"
	}
	return s
}

func describeList(ls []rules.Literal) string {
	if len(ls) == 1 {
		return fmt.Sprintf("%q", ls[0].Value)
	}
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = fmt.Sprintf("%q", l.Value)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func describeSize(n int64) string {
	for _, u := range []struct {
		suffix string
		size   int64
	}{{"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d%s", n/u.size, u.suffix)
		}
	}
	return fmt.Sprint(n)
}

// describeDays shows the days as the policy writes them: "mon-fri".
func describeDays(w rules.Weekdays) string { return w.String() }

// regexSize returns the size of expr as an RE2 program, in instructions;
// an expression RE2 refuses counts 0 (it is reported when compiled).
func regexSize(expr string, fold bool) int {
	flags := syntax.Perl
	if fold {
		flags |= syntax.FoldCase
	}
	re, err := syntax.Parse(expr, flags)
	if err != nil {
		return 0
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return 0
	}
	return len(prog.Inst)
}
