package parser

import "github.com/tamis-mss/tamis/rules"

// notify builds "notify STRING [saying STRING] [at most once per [N] UNIT]".
// Whether the address and the text are acceptable is the engine's to say
// (Compile), like every target.
func (r *reader) notify(n *notify, node rules.Node) rules.Action {
	lit := r.lit(n.Target)
	if !r.nonEmpty(lit, "address") {
		return nil
	}
	a := &rules.Notify{Node: node, Target: lit}
	if n.Text != nil {
		text := r.lit(*n.Text)
		if !r.nonEmpty(text, "notice text") {
			return nil
		}
		a.Text = &text
	}
	if n.Limit != nil {
		unit := r.tok(n.Limit.Unit.Pos)
		if n.Limit.Amount == nil {
			a.Limit = &rules.Period{Node: rules.Node{Range: r.rangeOf(unit)}, Amount: 1, Unit: units[n.Limit.Unit.Value]}
		} else {
			num := r.tok(n.Limit.Amount.Pos)
			p, ok := r.period(&period{Amount: *n.Limit.Amount, Unit: n.Limit.Unit}, r.between(num, unit))
			if !ok {
				return nil
			}
			a.Limit = &p
		}
	}
	return a
}
