package engine

import "github.com/tamis-mss/tamis/rules"

// minIndexed is the number of indexable statements from which the index is
// built; below it, sequential evaluation is as fast.
const minIndexed = 4

// buildIndex indexes the enabled rules whose condition requires an exact,
// case-insensitive "from is" or "envelope from is" on the whole address:
// the condition itself, or a direct operand of an "all". Such a rule can
// only apply to a message whose address folds to one of its keys, so
// Evaluate looks the message's addresses up and visits, in order, only the
// rules found plus those that are not indexed: the outcome is that of
// sequential evaluation.
func (p *Program) buildIndex() {
	from := map[string][]int32{}
	env := map[string][]int32{}
	var plain []int32
	indexed := 0
	for i, st := range p.stmts {
		if st.disabled {
			continue
		}
		p.enabled = append(p.enabled, int32(i))
		leaf := indexableLeaf(st)
		if leaf == nil {
			plain = append(plain, int32(i))
			continue
		}
		indexed++
		idx := from
		if leaf.field == rules.FieldEnvelopeFrom {
			idx = env
		}
		for _, k := range leaf.m.keys { // folded
			if l := idx[k]; len(l) == 0 || l[len(l)-1] != int32(i) {
				idx[k] = append(l, int32(i))
			}
		}
	}
	if indexed < minIndexed {
		return
	}
	// One array holds every list, rather than one small array each.
	for _, idx := range []map[string][]int32{from, env} {
		n := 0
		for _, l := range idx {
			n += len(l)
		}
		all := make([]int32, 0, n)
		for k, l := range idx {
			all = append(all, l...)
			idx[k] = all[len(all)-len(l) : len(all) : len(all)]
		}
	}
	p.plain = plain
	if len(from) > 0 {
		p.fromIndex = from
	}
	if len(env) > 0 {
		p.envIndex = env
	}
}

// indexableLeaf returns the "from is" test that st's condition requires,
// or nil.
func indexableLeaf(st *statement) *node {
	if st.vacation || st.cond == nil {
		return nil
	}
	if isIndexable(st.cond) {
		return st.cond
	}
	if st.cond.op == opAll {
		for _, k := range st.cond.kids {
			if isIndexable(k) {
				return k
			}
		}
	}
	return nil
}

func isIndexable(n *node) bool {
	return n.op == opAddress &&
		(n.field == rules.FieldFrom || n.field == rules.FieldEnvelopeFrom) &&
		n.part == rules.PartAll && n.m.kind == rules.Is && n.m.fold && len(n.m.keys) > 0
}
