package lsp

import "strings"

// tokenKind is the kind of a token of the element before the cursor.
type tokenKind int

const (
	tWord   tokenKind = iota // a word: a keyword or an unknown word
	tString                  // a "…" string or a """ block
	tValue                   // a number, date, time, size or time span
	tList                    // a [ … ] list, whole
	tPunct                   // , + -
)

type token struct {
	kind       tokenKind
	text       string
	start, end int // byte offsets
}

// cursor is what completion and hover need to know of the text before a
// position: whether it is in a comment or a string, the blocks it is in,
// and the tokens of the element it is in. It is found by a light scan of
// the text, since the text being typed rarely parses.
type cursor struct {
	off       int
	inComment bool
	inValue   bool // in a number, date, time or size
	inString  bool
	strStart  int  // offset of the opening quote, when inString
	strBlock  bool // the string is a """ block
	// openers are the elements that opened the blocks the cursor is in,
	// outermost first: the first word of "rule" and "vacation" blocks,
	// "all" or "any" for condition groups, "" for anything else.
	openers []string
	// elem are the tokens of the current element (since the last line
	// end, ";", "{" or "}" outside a list) before the word at the cursor.
	elem []token
	// word is the part of the word at the cursor before it, from
	// wordStart.
	word      string
	wordStart int
}

// opener returns the element that opened the innermost block, or "" at
// the top level.
func (c *cursor) opener() string {
	if len(c.openers) == 0 {
		return ""
	}
	return c.openers[len(c.openers)-1]
}

func isWordStart(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_' || b >= 0x80
}

func isWordByte(b byte) bool {
	return isWordStart(b) || b >= '0' && b <= '9' || b == '-'
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// scanTo scans s up to the byte offset off.
func scanTo(s string, off int) cursor {
	off = max(0, min(off, len(s)))
	c := cursor{off: off, wordStart: off}
	var prev []token // the last element, for a "{" on the next line
	brackets, listStart := 0, 0
	add := func(t token) {
		if brackets == 0 {
			c.elem = append(c.elem, t)
		}
	}
	endElement := func() {
		if len(c.elem) > 0 {
			prev = c.elem
		}
		c.elem = nil
	}
	for i := 0; i < off; {
		b := s[i]
		switch {
		case b == '#':
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				j = len(s) - i
			}
			if off <= i+j {
				c.inComment = true
				return c
			}
			i += j
		case strings.HasPrefix(s[i:], `"""`):
			end, closed := len(s), false
			if k := strings.Index(s[i+3:], `"""`); k >= 0 {
				end, closed = i+3+k+3, true
			}
			if off < end || !closed {
				c.inString, c.strStart, c.strBlock = true, i, true
				return c
			}
			add(token{kind: tString, text: s[i:end], start: i, end: end})
			i = end
		case b == '"':
			j, closed := i+1, false
			for j < len(s) && s[j] != '\n' {
				if s[j] == '\\' {
					j += 2
					continue
				}
				j++
				if s[j-1] == '"' {
					closed = true
					break
				}
			}
			j = min(j, len(s))
			if off < j || !closed && off <= j {
				c.inString, c.strStart = true, i
				return c
			}
			add(token{kind: tString, text: s[i:j], start: i, end: j})
			i = j
		case b == '\n' || b == ';':
			if brackets == 0 {
				endElement()
			}
			i++
		case b == '{':
			e := c.elem
			if len(e) == 0 {
				e = prev
			}
			c.openers = append(c.openers, openerOf(e))
			c.elem, prev = nil, nil
			i++
		case b == '}':
			if len(c.openers) > 0 {
				c.openers = c.openers[:len(c.openers)-1]
			}
			c.elem, prev = nil, nil
			brackets = 0
			i++
		case b == '[':
			if brackets == 0 {
				listStart = i
			}
			brackets++
			i++
		case b == ']':
			if brackets > 0 {
				brackets--
				if brackets == 0 {
					add(token{kind: tList, text: s[listStart : i+1], start: listStart, end: i + 1})
				}
			}
			i++
		case isWordStart(b):
			j := i
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			if off <= j {
				c.word, c.wordStart = s[i:off], i
				return c
			}
			add(token{kind: tWord, text: s[i:j], start: i, end: j})
			i = j
		case isDigit(b):
			j := i
			for j < len(s) && (isWordByte(s[j]) || s[j] == ':') {
				j++
			}
			if off <= j {
				c.inValue = true
				return c
			}
			add(token{kind: tValue, text: s[i:j], start: i, end: j})
			i = j
		case b == ',' || b == '+' || b == '-':
			add(token{kind: tPunct, text: s[i : i+1], start: i, end: i + 1})
			i++
		default:
			i++
		}
	}
	return c
}

// openerOf names the block an element opens: "all" or "any" when it ends
// with one of them, else its first word.
func openerOf(e []token) string {
	if len(e) == 0 || e[0].kind != tWord {
		return ""
	}
	if last := e[len(e)-1]; last.kind == tWord && (last.text == "all" || last.text == "any") {
		return last.text
	}
	return e[0].text
}

// wordAt returns the bounds of the word around the byte offset off, or
// start == end when there is none.
func wordAt(s string, off int) (start, end int) {
	off = max(0, min(off, len(s)))
	start, end = off, off
	for start > 0 && isWordByte(s[start-1]) {
		start--
	}
	for end < len(s) && isWordByte(s[end]) {
		end++
	}
	// A word starts with a letter or "_": skip leading digits and dashes.
	for start < end && !isWordStart(s[start]) {
		start++
	}
	return start, end
}
