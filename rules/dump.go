package rules

import (
	"fmt"
	"strconv"
	"strings"
)

// Dump returns a readable, stable description of p: one element per line,
// indented by nesting, each followed by its source position as @line:col.
// Tests compare dumps to golden files.
func Dump(p *Policy) string { return dump(p, true) }

// DumpWithoutPositions is Dump without the positions: two policies that
// differ only in where their elements were written dump the same.
func DumpWithoutPositions(p *Policy) string { return dump(p, false) }

type dumper struct {
	b   strings.Builder
	pos bool
}

func dump(p *Policy, pos bool) string {
	d := &dumper{pos: pos}
	d.line(0, "policy "+strconv.Quote(p.File), Range{})
	if p.Mailbox != nil {
		d.line(1, "mailbox "+d.lit(*p.Mailbox), Range{})
	}
	for _, a := range p.Also {
		d.line(1, "also "+d.lit(a), Range{})
	}
	if p.Timezone != nil {
		d.line(1, "timezone "+d.lit(*p.Timezone), Range{})
	}
	for _, s := range p.Statements {
		switch s := s.(type) {
		case *Rule:
			d.line(1, "rule "+d.lit(s.Name)+disabledText(s.Disabled), s.Range)
			if s.When != nil {
				d.line(2, "when", Range{})
				d.cond(3, s.When)
			}
			for _, a := range s.Actions {
				d.action(2, a)
			}
		case *Vacation:
			d.line(1, "vacation "+d.lit(s.Name)+disabledText(s.Disabled), s.Range)
			for _, w := range s.Windows {
				d.window(2, "window", w)
			}
			if s.When != nil {
				d.line(2, "when", Range{})
				d.cond(3, s.When)
			}
			d.action(2, &s.Reply)
			for _, a := range s.Actions {
				d.action(2, a)
			}
		default:
			d.line(1, fmt.Sprintf("statement %T", s), Range{})
		}
	}
	for _, c := range p.Comments {
		d.line(1, "comment "+strconv.Quote(c.Text), c.Range)
	}
	return d.b.String()
}

func disabledText(b bool) string {
	if b {
		return " disabled"
	}
	return ""
}

// line writes one line; r, when valid and positions are on, is appended.
func (d *dumper) line(depth int, s string, r Range) {
	d.b.WriteString(strings.Repeat("  ", depth))
	d.b.WriteString(s)
	if d.pos && r.IsValid() {
		d.b.WriteString(" " + d.at(r))
	}
	d.b.WriteByte('\n')
}

func (d *dumper) at(r Range) string {
	if !d.pos || !r.IsValid() {
		return ""
	}
	return fmt.Sprintf("@%d:%d", r.Start.Line, r.Start.Column)
}

func (d *dumper) lit(l Literal) string {
	s := strconv.Quote(l.Value)
	if d.pos && l.Range.IsValid() {
		s += d.at(l.Range)
	}
	return s
}

func (d *dumper) lits(ls []Literal) string {
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = d.lit(l)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func (d *dumper) window(depth int, name string, w Window) {
	d.line(depth, name, w.Range)
	if w.From != nil {
		d.line(depth+1, "from "+w.From.String(), w.From.Range)
	}
	if w.Until != nil {
		d.line(depth+1, "until "+w.Until.String(), w.Until.Range)
	}
}

func (d *dumper) match(m Match) string {
	s := m.Kind.String() + " " + d.lits(m.Keys)
	if m.CaseSensitive {
		s += " case-sensitive"
	}
	return s
}

func (d *dumper) cond(depth int, c Condition) {
	r := c.Source()
	switch c := c.(type) {
	case *Always:
		d.line(depth, "always", r)
	case *Not:
		d.line(depth, "not", r)
		d.cond(depth+1, c.Cond)
	case *All:
		d.line(depth, "all", r)
		for _, sub := range c.Conds {
			d.cond(depth+1, sub)
		}
	case *Any:
		d.line(depth, "any", r)
		for _, sub := range c.Conds {
			d.cond(depth+1, sub)
		}
	case *AddressTest:
		s := "address " + c.Field.String()
		if c.Field == FieldHeader {
			s = "address headers " + d.lits(c.Headers)
		}
		if c.Part != PartAll {
			s += " " + c.Part.String()
		}
		d.line(depth, s+" "+d.match(c.Match), r)
	case *HeaderTest:
		d.line(depth, "header "+d.lits(c.Names)+" "+d.match(c.Match), r)
	case *BodyTest:
		d.line(depth, "body "+d.match(c.Match), r)
	case *SizeTest:
		op := "under"
		if c.Over {
			op = "over"
		}
		d.line(depth, fmt.Sprintf("size %s %d", op, c.Limit), r)
	case *ExistsTest:
		d.line(depth, "exists "+d.lits(c.Names), r)
	case *PredicateTest:
		d.line(depth, "predicate "+c.Predicate.String(), r)
	case *DuringTest:
		d.line(depth, "during", r)
		for _, s := range c.Spans {
			d.line(depth+1, fmt.Sprintf("span %s %s-%s", weekdaysText(s.Days), s.Start, s.End), s.Range)
		}
	case *BetweenTest:
		d.line(depth, "between", r)
		d.window(depth+1, "window", c.Window)
	default:
		d.line(depth, fmt.Sprintf("condition %T", c), r)
	}
}

var weekdayNames = [...]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func weekdaysText(w Weekdays) string {
	var days []string
	for i := 1; i <= 7; i++ {
		if w&(1<<(i%7)) != 0 {
			days = append(days, weekdayNames[i%7])
		}
	}
	return strings.Join(days, "+")
}

func (d *dumper) action(depth int, a Action) {
	r := a.Source()
	switch a := a.(type) {
	case *Keep:
		d.line(depth, "keep", r)
	case *Discard:
		d.line(depth, "discard", r)
	case *Stop:
		d.line(depth, "stop", r)
	case *Reject:
		d.line(depth, "reject "+d.lit(a.Reason), r)
	case *Reroute:
		d.line(depth, "reroute "+d.lit(a.Target), r)
	case *Copy:
		d.line(depth, "copy "+d.lit(a.Target), r)
	case *FileInto:
		d.line(depth, "fileinto "+d.lit(a.Folder), r)
	case *Flag:
		d.line(depth, "flag "+d.lits(a.Flags), r)
	case *Reply:
		d.line(depth, "reply", r)
		d.line(depth+1, "text "+d.lit(a.Text), Range{})
		if a.Subject != nil {
			d.line(depth+1, "subject "+d.lit(*a.Subject), Range{})
		}
		if a.From != nil {
			d.line(depth+1, "from "+d.lit(*a.From), Range{})
		}
		if a.Period != nil {
			d.line(depth+1, fmt.Sprintf("period %d %s (%s)", a.Period.Amount, a.Period.Unit, a.Period.Duration()), a.Period.Range)
		}
		if a.Handle != nil {
			d.line(depth+1, "handle "+d.lit(*a.Handle), Range{})
		}
	case *Notify:
		d.line(depth, "notify "+d.lit(a.Target), r)
		if a.Text != nil {
			d.line(depth+1, "text "+d.lit(*a.Text), Range{})
		}
		if a.Limit != nil {
			d.line(depth+1, "limit "+strconv.FormatInt(a.Limit.Amount, 10)+" "+a.Limit.Unit.String()+" ("+a.Limit.Duration().String()+")", a.Limit.Range)
		}
	default:
		d.line(depth, fmt.Sprintf("action %T", a), r)
	}
}
