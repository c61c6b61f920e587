package lsp

import (
	"testing"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/tamis-mss/tamis/rules"
)

// TestPositions checks the conversions between byte offsets, parser
// positions (characters) and protocol positions (UTF-16 code units) on a
// text with one-, two-, three- and four-byte characters.
func TestPositions(t *testing.T) {
	// "é" is 2 bytes and 1 unit, "’" 3 bytes and 1 unit, "🩺" 4 bytes and
	// 2 units.
	tx := newText("ab\né’🩺x\r\n\nend")
	for _, c := range []struct {
		off  int
		pos  protocol.Position
		rpos rules.Pos
	}{
		{0, pos(0, 0), rules.Pos{Line: 1, Column: 1}},
		{2, pos(0, 2), rules.Pos{Line: 1, Column: 3}},
		{3, pos(1, 0), rules.Pos{Line: 2, Column: 1}},
		{5, pos(1, 1), rules.Pos{Line: 2, Column: 2}},  // after é
		{8, pos(1, 2), rules.Pos{Line: 2, Column: 3}},  // after ’
		{12, pos(1, 4), rules.Pos{Line: 2, Column: 4}}, // after 🩺
		{13, pos(1, 5), rules.Pos{Line: 2, Column: 5}}, // after x, before \r
		{16, pos(3, 0), rules.Pos{Line: 4, Column: 1}},
		{19, pos(3, 3), rules.Pos{Line: 4, Column: 4}}, // end
	} {
		if got := tx.position(c.off); got != c.pos {
			t.Errorf("position(%d) = %+v, want %+v", c.off, got, c.pos)
		}
		if got := tx.offset(c.pos); got != c.off {
			t.Errorf("offset(%+v) = %d, want %d", c.pos, got, c.off)
		}
		if got := tx.fromRules(c.rpos); got != c.pos {
			t.Errorf("fromRules(%+v) = %+v, want %+v", c.rpos, got, c.pos)
		}
	}
	// Past the end of a line: the end of the line; past the last line:
	// the end of the text.
	if got := tx.offset(pos(0, 99)); got != 2 {
		t.Errorf("offset past the line end = %d, want 2", got)
	}
	if got := tx.offset(pos(9, 0)); got != 19 {
		t.Errorf("offset past the last line = %d, want 19", got)
	}
	if got := tx.end(); got != pos(3, 3) {
		t.Errorf("end = %+v", got)
	}
	if got := tx.rangeOf(rules.Range{Start: rules.Pos{Line: 2, Column: 2}}); got != (protocol.Range{Start: pos(1, 1), End: pos(1, 1)}) {
		t.Errorf("rangeOf without end = %+v", got)
	}
}

func pos(line, char int) protocol.Position {
	return protocol.Position{Line: protocol.UInteger(line), Character: protocol.UInteger(char)}
}
