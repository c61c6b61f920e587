package lsp

import (
	"unicode/utf16"
	"unicode/utf8"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/tamis-mss/tamis/rules"
)

// text is the content of a document with the byte offsets of its lines,
// for converting positions. Lines end at "\n" (a "\r" before it belongs to
// the line, as in the parser).
type text struct {
	s     string
	lines []int // byte offset of the start of each line
}

func newText(s string) *text {
	t := &text{s: s, lines: []int{0}}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			t.lines = append(t.lines, i+1)
		}
	}
	return t
}

// line returns the content of line n (0-based) without its "\n", or "" past
// the end.
func (t *text) line(n int) (start int, content string) {
	if n < 0 || n >= len(t.lines) {
		return len(t.s), ""
	}
	start = t.lines[n]
	end := len(t.s)
	if n+1 < len(t.lines) {
		end = t.lines[n+1] - 1
	}
	return start, t.s[start:end]
}

// offset converts a protocol position to a byte offset. A character past
// the end of its line means the end of the line, and a line past the end
// of the text the end of the text, as the protocol asks.
func (t *text) offset(p protocol.Position) int {
	if int(p.Line) >= len(t.lines) {
		return len(t.s)
	}
	start, content := t.line(int(p.Line))
	units := 0
	for i, r := range content {
		if units >= int(p.Character) {
			return start + i
		}
		units += utf16Len(r)
	}
	return start + len(content)
}

// position converts a byte offset to a protocol position.
func (t *text) position(off int) protocol.Position {
	off = max(0, min(off, len(t.s)))
	n := 0
	for n+1 < len(t.lines) && t.lines[n+1] <= off {
		n++
	}
	start := t.lines[n]
	units := 0
	for _, r := range t.s[start:off] {
		units += utf16Len(r)
	}
	return protocol.Position{Line: protocol.UInteger(n), Character: protocol.UInteger(units)}
}

// fromRules converts a parser position (1-based line, column in
// characters) to a protocol position. An unset position is the start of
// the text.
func (t *text) fromRules(p rules.Pos) protocol.Position {
	if !p.IsValid() {
		return protocol.Position{}
	}
	n := min(p.Line-1, len(t.lines)-1)
	_, content := t.line(n)
	units, col := 0, 1
	for _, r := range content {
		if col >= p.Column {
			break
		}
		units += utf16Len(r)
		col++
	}
	return protocol.Position{Line: protocol.UInteger(n), Character: protocol.UInteger(units)}
}

// rangeOf converts a parser range; an unset end is the start.
func (t *text) rangeOf(r rules.Range) protocol.Range {
	start := t.fromRules(r.Start)
	end := start
	if r.End.IsValid() {
		end = t.fromRules(r.End)
	}
	if end.Line < start.Line || end.Line == start.Line && end.Character < start.Character {
		end = start
	}
	return protocol.Range{Start: start, End: end}
}

// end is the position after the last character.
func (t *text) end() protocol.Position { return t.position(len(t.s)) }

// utf16Len is the number of UTF-16 code units of r; an invalid rune counts
// as the replacement character, one unit.
func utf16Len(r rune) int {
	if r == utf8.RuneError {
		return 1
	}
	return utf16.RuneLen(r)
}
