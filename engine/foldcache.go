package engine

import (
	"strings"
	"unsafe"

	"github.com/tamis-mss/tamis/rules"
)

// foldCache holds the case-folded values of the header fields one
// evaluation has compared case-insensitively, by slot: a value is folded
// once per message and shared by every is and contains key of every rule,
// instead of being folded again for each key (issue 15). The strings point
// into buf, which is reused by the next evaluation: they must not outlive
// this one.
type foldCache struct {
	buf   []byte     // folded text, appended to
	vals  []string   // folded values, slot after slot
	spans [][2]int32 // per slot: vals[lo:hi]
	ok    []bool     // per slot: spans is set
}

// maxFoldBuf is the capacity beyond which the folding buffer is dropped
// rather than kept for the next evaluation.
const maxFoldBuf = 64 << 10

func (c *foldCache) reset(slots int) {
	if len(c.ok) < slots {
		c.ok, c.spans = make([]bool, slots), make([][2]int32, slots)
	}
	clear(c.ok)
	clear(c.vals)
	c.vals = c.vals[:0]
	if cap(c.buf) > maxFoldBuf {
		c.buf = nil
	}
	c.buf = c.buf[:0]
}

// foldedValues returns the values of the header field of slot, folded as
// foldString does.
func (s *evalState) foldedValues(slot int) []string {
	c := &s.folds
	if !c.ok[slot] {
		lo := len(c.vals)
		for _, v := range s.values(slot) {
			start := len(c.buf)
			c.buf = appendFold(c.buf, v)
			b := c.buf[start:]
			c.vals = append(c.vals, unsafe.String(unsafe.SliceData(b), len(b)))
		}
		c.spans[slot], c.ok[slot] = [2]int32{int32(lo), int32(len(c.vals))}, true
	}
	sp := c.spans[slot]
	return c.vals[sp[0]:sp[1]]
}

// foldsValues reports whether m compares values through their folded form
// (matchFolded): case-insensitive is and contains.
func (m *matcher) foldsValues() bool {
	return m.fold && (m.kind == rules.Is || m.kind == rules.Contains)
}

// matchFolded is match for a matcher that foldsValues, given the folded
// value fv: it is equivalent since folding works rune by rune (so a folded
// key found in fv starts on a rune of the value) and the keys are folded
// the same way.
func (m *matcher) matchFolded(fv string) bool {
	if m.kind == rules.Is {
		if m.set != nil {
			_, ok := m.set[fv]
			return ok
		}
		for _, k := range m.keys {
			if fv == k {
				return true
			}
		}
		return false
	}
	for _, k := range m.keys {
		if strings.Contains(fv, k) {
			return true
		}
	}
	return false
}
