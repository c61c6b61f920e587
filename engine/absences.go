package engine

import (
	"fmt"
	"strings"
	"time"

	"github.com/tamis-mss/tamis/rules"
)

// checkDisplayNameKeys warns about the keys of an address test that hold
// a display name or angle brackets ("Dr X <x@…>"): address tests compare
// the address alone, so such a key never matches.
func (c *compiler) checkDisplayNameKeys(t *rules.AddressTest) {
	if t.Match.Kind == rules.Regex {
		return
	}
	for _, k := range t.Match.Keys {
		lt := strings.IndexByte(k.Value, '<')
		if lt < 0 && !strings.Contains(k.Value, ">") {
			continue
		}
		hint := "compare the address alone, or test the whole header field with header \"From\" contains"
		if gt := strings.LastIndexByte(k.Value, '>'); lt >= 0 && gt > lt {
			addr := strings.TrimSpace(k.Value[lt+1 : gt])
			hint = fmt.Sprintf("write the address alone: %q; to compare the display name, test the whole header field: header \"From\" contains", addr)
		}
		c.diagAt(rules.Warning, rules.CodeDisplayNameKey, k.Range,
			fmt.Sprintf("%q never matches: an address test compares the address alone, without display name or angle brackets", k.Value),
			hint, related("the address test", t.Source()))
	}
}

// interval is a window as an interval of time; an open side is unbounded.
type interval struct {
	from, until       time.Time
	hasFrom, hasUntil bool
}

func intervalOf(w window) interval { return interval{w.from, w.until, w.hasFrom, w.hasUntil} }

// overlaps reports whether a and b share an instant.
func (a interval) overlaps(b interval) bool {
	return (!a.hasFrom || !b.hasUntil || a.from.Before(b.until)) &&
		(!b.hasFrom || !a.hasUntil || b.from.Before(a.until))
}

// covers reports whether a contains all of b.
func (a interval) covers(b interval) bool {
	return (!a.hasFrom || b.hasFrom && !b.from.Before(a.from)) &&
		(!a.hasUntil || b.hasUntil && !a.until.Before(b.until))
}

// checkAbsences warns about absence blocks whose windows overlap (within
// a block, or with an earlier block: while both apply, only the earlier
// one replies) and about an absence block that never replies because an
// earlier one without condition applies whenever it does.
func (c *compiler) checkAbsences(prog *Program) {
	var earlier []*statement
	for _, st := range prog.stmts {
		if !st.vacation || st.disabled {
			continue
		}
		for i, w := range st.windows {
			for _, v := range st.windows[:i] {
				if intervalOf(v).overlaps(intervalOf(w)) {
					c.diagAt(rules.Warning, rules.CodeOverlappingWindows, w.rng,
						"this window overlaps an earlier window of the same absence block",
						"merge the two windows into one", related("the earlier window", v.rng))
					break
				}
			}
		}
		if a := shadowing(earlier, st); a != nil {
			c.diagAt(rules.Warning, rules.CodeShadowedAbsence, st.rng.Range(),
				fmt.Sprintf("the absence block %q never replies: the earlier absence block %q has no condition and applies whenever it does, and a message gets one reply", st.name, a.name),
				"disable one of the two blocks, or give them windows that do not overlap",
				related("the earlier absence block", a.rng.Range()))
		} else if a, aw, w := overlapping(earlier, st); a != nil {
			c.diagAt(rules.Warning, rules.CodeOverlappingWindows, w.rng,
				fmt.Sprintf("this window overlaps a window of the earlier absence block %q: while both apply, only %q replies", a.name, a.name),
				"make the windows follow each other, or disable one of the blocks",
				related("the window it overlaps", aw.rng))
		}
		earlier = append(earlier, st)
	}
}

// shadowing returns the first of the earlier absence blocks that has no
// condition and covers every window of st (every instant, when st has
// none), or nil.
func shadowing(earlier []*statement, st *statement) *statement {
	for _, a := range earlier {
		if a.cond != nil && a.cond.op != opAlways {
			continue
		}
		if covered(a, st) {
			return a
		}
	}
	return nil
}

// covered reports whether every window of st is inside one window of a.
func covered(a, st *statement) bool {
	if len(a.windows) == 0 {
		return true
	}
	if len(st.windows) == 0 {
		return false
	}
	for _, w := range st.windows {
		in := false
		for _, v := range a.windows {
			if intervalOf(v).covers(intervalOf(w)) {
				in = true
				break
			}
		}
		if !in {
			return false
		}
	}
	return true
}

// overlapping returns the first earlier absence block with a window that
// overlaps a window of st, both blocks having windows, with the two
// windows.
func overlapping(earlier []*statement, st *statement) (*statement, window, window) {
	for _, w := range st.windows {
		for _, a := range earlier {
			for _, v := range a.windows {
				if intervalOf(v).overlaps(intervalOf(w)) {
					return a, v, w
				}
			}
		}
	}
	return nil, window{}, window{}
}
