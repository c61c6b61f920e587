package parser

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/tamis-mss/tamis/rules"
)

// cond builds a condition at nesting depth depth (1 after when). It
// returns nil after reporting a problem.
func (r *reader) cond(n *condition, depth int) rules.Condition {
	node := rules.Node{Range: r.element(n.Pos)}
	if r.opts.MaxDepth > 0 && depth > r.opts.MaxDepth {
		r.report(rules.CodeLimit, r.rangeOf(r.tok(n.Pos)),
			fmt.Sprintf("simplify the condition, or raise the limit (MaxDepth = %d)", r.opts.MaxDepth),
			"conditions nested deeper than the limit of %d", r.opts.MaxDepth)
		return nil
	}
	switch {
	case n.Always:
		return &rules.Always{Node: node}
	case n.Not != nil:
		if inner := r.cond(n.Not, depth+1); inner != nil {
			return &rules.Not{Node: node, Cond: inner}
		}
	case n.Group != "":
		return r.group(n, node, depth)
	case n.Sender != "":
		return &rules.PredicateTest{Node: node, Predicate: senderPredicates[n.Sender]}
	case n.Message != "":
		return &rules.PredicateTest{Node: node, Predicate: messagePredicates[n.Message]}
	case n.Address != nil:
		return r.address(n.Address, node)
	case n.Header != nil:
		return r.header(n.Header, node)
	case n.Exists != nil:
		if names, ok := r.values(n.Exists); ok && r.headerNames(names) {
			return &rules.ExistsTest{Node: node, Names: names}
		}
	case n.Size != "":
		if limit, ok := r.size(r.tok(n.Limit.Pos)); ok {
			return &rules.SizeTest{Node: node, Over: n.Size == "over", Limit: limit}
		}
	case len(n.During) > 0:
		return r.during(n.During, node)
	case n.From != nil:
		from, fromOK := r.bound(n.From)
		until, untilOK := r.bound(n.Until)
		if fromOK && untilOK && r.checkOrder(&from, &until) {
			w := rules.Window{Node: rules.Node{Range: rules.Range{File: r.file, Start: from.Range.Start, End: until.Range.End}}, From: &from, Until: &until}
			return &rules.BetweenTest{Node: node, Window: w}
		}
	}
	return nil
}

// group builds all { … } and any { … }, reading every condition.
func (r *reader) group(n *condition, node rules.Node, depth int) rules.Condition {
	var conds []rules.Condition
	ok := true
	for _, c := range n.Conds {
		if c == nil {
			continue
		}
		if sub := r.cond(c, depth+1); sub != nil {
			conds = append(conds, sub)
		} else {
			ok = false
		}
	}
	switch {
	case !ok:
		return nil
	case n.Group == "all":
		return &rules.All{Node: node, Conds: conds}
	}
	return &rules.Any{Node: node, Conds: conds}
}

// address builds an address test.
func (r *reader) address(n *address, node rules.Node) rules.Condition {
	t := &rules.AddressTest{Node: node, Part: addressParts[n.Part]}
	namesOK := true
	switch {
	case n.Envelope != "":
		t.Field = envelopeFields[n.Envelope]
	case n.Headers != nil:
		names, ok := r.values(n.Headers)
		if !ok {
			return nil
		}
		namesOK = r.headerNames(names) // the match is checked too
		t.Field, t.Headers = rules.FieldHeader, names
	default:
		t.Field = addressFields[n.Field]
	}
	m, ok := r.match(&n.Match)
	if !ok || !namesOK {
		return nil
	}
	t.Match = m
	return t
}

// header builds "subject MATCH", "header NAMES MATCH" and "body MATCH".
func (r *reader) header(n *header, node rules.Node) rules.Condition {
	var names []rules.Literal
	namesOK := true
	switch {
	case n.Names != nil:
		var ok bool
		if names, ok = r.values(n.Names); !ok {
			return nil
		}
		namesOK = r.headerNames(names) // the match is checked too
	case n.Field.Value == "subject":
		names = []rules.Literal{{Value: "Subject", Range: r.rangeOf(r.tok(n.Field.Pos))}}
	}
	m, ok := r.match(&n.Match)
	switch {
	case !ok || !namesOK:
		return nil
	case n.Field.Value == "body":
		return &rules.BodyTest{Node: node, Match: m}
	}
	return &rules.HeaderTest{Node: node, Names: names, Match: m}
}

// match builds "KIND VALUE [case-sensitive]"; every regex key is checked.
func (r *reader) match(n *match) (rules.Match, bool) {
	m := rules.Match{Kind: matchKinds[n.Kind], CaseSensitive: n.CaseSensitive}
	var ok bool
	if n.Any != nil {
		m.Keys, ok = r.list(n.Any)
	} else {
		m.Keys, ok = r.values(n.Keys)
	}
	if !ok || m.Kind != rules.Regex {
		return m, ok
	}
	for _, k := range m.Keys {
		if r.isTainted(k) {
			ok = false
			continue
		}
		if _, err := regexp.Compile(k.Value); err != nil {
			msg := strings.TrimPrefix(err.Error(), "error parsing regexp: ")
			r.report(rules.CodeInvalidRegex, k.Range, regexHint(err), "invalid regex: %s", msg)
			ok = false
		}
	}
	return m, ok
}

// during builds "during SPAN, …", checking every day and time.
func (r *reader) during(spans []*span, node rules.Node) rules.Condition {
	t := &rules.DuringTest{Node: node}
	ok := true
	for _, n := range spans {
		ws := rules.WeeklySpan{Node: rules.Node{Range: r.between(r.tok(n.Days[0].Pos), r.tok(n.Hours.Pos))}}
		for _, d := range n.Days {
			if d.Value == "+" {
				continue
			}
			days, dayOK := r.days(r.tok(d.Pos))
			ws.Days |= days
			ok = ok && dayOK
		}
		var startOK, endOK bool
		ws.Start, ws.End, startOK, endOK = r.hours(r.tok(n.Hours.Pos))
		ok = ok && startOK && endOK
		t.Spans = append(t.Spans, ws)
	}
	if !ok {
		return nil
	}
	return t
}
