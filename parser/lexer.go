package parser

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tamis-mss/tamis/rules"
)

// tokKind is the kind of a token. The participle symbol of a kind is
// -(kind+1), EOF being -1 as participle expects.
type tokKind int8

const (
	tEOF    tokKind = iota
	tWord           // keyword or name: letters, digits, "_", "-"
	tString         // "…" with escapes
	tText           // """ block
	tNumber         // digits, possibly with a unit suffix glued (25M)
	tDate           // digits-digits-digits
	tTime           // digits:digits[:digits]
	tHours          // digits:digits-digits:digits, a span of a day
	tPunct          // { } [ ] , - +
	tSep            // newline or ";"
)

var kindNames = [...]string{"EOF", "Word", "String", "Text", "Number", "Date", "Time", "Hours", "Punct", "Sep"}

// token is one lexed token. raw is the source text; val the decoded value
// of a string or text block.
type token struct {
	kind  tokKind
	raw   string
	val   string
	start rules.Pos
	end   rules.Pos
}

// scanner turns a source into tokens and comments, collecting every lexical
// problem as a diagnostic.
type scanner struct {
	file string
	src  string
	opts Options

	off int // next byte to read

	// Position cursor: pos(off) advances it forward, restarting from the
	// line start (lineStarts) when asked for an earlier offset.
	lineStarts []int
	cOff       int
	cLine      int
	cCol       int
	cBad       bool // the byte before cOff was part of an invalid UTF-8 run

	bomLen   int
	toks     []token
	comments []rules.Comment
	diags    rules.Diagnostics
	// tainted holds the offsets of the strings that had a lexical error.
	tainted map[int]bool
	// strayLines holds the lines with an unexpected character.
	strayLines map[int]bool
	// diagsAtStart is len(diags) when the current string started.
	diagsAtStart int
}

func newScanner(file string, src []byte, opts Options) *scanner {
	s := &scanner{file: file, src: string(src), opts: opts}
	if strings.HasPrefix(s.src, "\uFEFF") {
		s.bomLen = 3
	}
	s.lineStarts = make([]int, 1, bytes.Count(src, []byte{'\n'})+1)
	for i := 0; i < len(s.src); {
		j := strings.IndexByte(s.src[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		s.lineStarts = append(s.lineStarts, i)
	}
	s.off = s.bomLen
	s.cOff, s.cLine, s.cCol = s.bomLen, 1, 1
	// About one token per 5 bytes in typical policies: sized once, the
	// slice does not regrow on large files.
	s.toks = make([]token, 0, len(src)/5+16)
	return s
}

// pos returns the position of byte offset off. Columns count characters; a
// run of invalid bytes counts as one character, as Render prints it as one
// replacement character.
func (s *scanner) pos(off int) rules.Pos {
	if off < s.cOff {
		line := sort.Search(len(s.lineStarts), func(i int) bool { return s.lineStarts[i] > off })
		s.cLine = line
		s.cOff = s.lineStarts[line-1]
		if line == 1 {
			s.cOff = s.bomLen
		}
		s.cCol = 1
		s.cBad = false
	}
	for s.cOff < off {
		c := s.src[s.cOff]
		switch {
		case c == '\n':
			s.cLine++
			s.cCol = 1
			s.cOff++
			s.cBad = false
		case c < utf8.RuneSelf:
			s.cCol++
			s.cOff++
			s.cBad = false
		default:
			r, n := utf8.DecodeRuneInString(s.src[s.cOff:])
			if r == utf8.RuneError && n == 1 {
				if !s.cBad {
					s.cCol++
				}
				s.cBad = true
			} else {
				s.cCol++
				s.cBad = false
			}
			s.cOff += n
		}
	}
	return rules.Pos{Line: s.cLine, Column: s.cCol, Offset: off}
}

func (s *scanner) rng(from, to int) rules.Range {
	return rules.Range{File: s.file, Start: s.pos(from), End: s.pos(to)}
}

func (s *scanner) report(code rules.Code, r rules.Range, hint, format string, args ...any) {
	s.diags = append(s.diags, rules.Diagnostic{
		Severity: rules.Error, Code: code, Message: fmt.Sprintf(format, args...), Range: r, Hint: hint,
	})
}

// badUTF8 reports the run of invalid bytes starting at off and returns its
// length.
func (s *scanner) badUTF8(off int) int {
	n := 0
	for off+n < len(s.src) {
		r, size := utf8.DecodeRuneInString(s.src[off+n:])
		if r != utf8.RuneError || size != 1 {
			break
		}
		n++
	}
	s.report(rules.CodeInvalidUTF8, s.rng(off, off+n), latin1Hint(s.src[off:off+n]),
		"invalid UTF-8 at byte offset %d (0x%02X)", off, s.src[off])
	return n
}

func latin1Hint(bad string) string {
	if len(bad) == 1 && bad[0] >= 0xA0 {
		return "save the file as UTF-8 (this byte looks like Latin-1 or Windows-1252)"
	}
	return "save the file as UTF-8"
}

// emit appends a token, managing separators: a newline or ";" becomes one
// separator token, none at the start, after "{", "[" or "," and before "{"
// or "]", so that blocks may open on the next line and lists span lines.
func (s *scanner) emit(kind tokKind, from, to int, val string) {
	n := len(s.toks)
	if kind == tSep {
		if n == 0 {
			return
		}
		last := s.toks[n-1]
		if last.kind == tSep || (last.kind == tPunct && (last.raw == "{" || last.raw == "[" || last.raw == ",")) {
			return
		}
	}
	raw := s.src[from:to]
	// A block may open on the next line, except after a block: "}" ends
	// an element.
	if kind == tPunct && (raw == "{" || raw == "]") && n > 0 && s.toks[n-1].kind == tSep &&
		!(raw == "{" && n > 1 && s.toks[n-2].kind == tPunct && s.toks[n-2].raw == "}") {
		s.toks = s.toks[:n-1]
	}
	s.toks = append(s.toks, token{kind: kind, raw: raw, val: val, start: s.pos(from), end: s.pos(to)})
}

func isWordStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }
func isWordRune(r rune) bool {
	return r == '_' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r)
}
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// skipDigits returns the offset of the first non-digit at or after i.
func skipDigits(src string, i int) int {
	for i < len(src) && isDigit(src[i]) {
		i++
	}
	return i
}

// scan lexes the whole source.
func (s *scanner) scan() {
	src := s.src
	for s.off < len(src) {
		c := src[s.off]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			s.off++
		case c == '\n' || c == ';':
			s.emit(tSep, s.off, s.off+1, "")
			s.off++
		case c == '#':
			s.scanComment()
		case c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == '-' || c == '+':
			s.emit(tPunct, s.off, s.off+1, "")
			s.off++
		case c == '"':
			if strings.HasPrefix(src[s.off:], `"""`) {
				s.scanText()
			} else {
				s.scanString()
			}
		case isDigit(c):
			s.scanNumber()
		default:
			r, n := utf8.DecodeRuneInString(src[s.off:])
			switch {
			case r == utf8.RuneError && n == 1:
				s.off += s.badUTF8(s.off)
			case isWordStart(r):
				start := s.off
				s.off += n
				for s.off < len(src) {
					r, n := utf8.DecodeRuneInString(src[s.off:])
					if !isWordRune(r) {
						break
					}
					s.off += n
				}
				if s.bareValue(start, s.off) {
					break
				}
				s.emit(tWord, start, s.off, "")
			case unicode.IsSpace(r):
				s.off += n
			default:
				hint := "remove it; strings are written between double quotes"
				switch {
				case strings.ContainsRune("“”«»„‟", r):
					hint = `use straight double quotes: "…"`
				case r == '=' || r == '~':
					hint = "compare with is, contains, matches or regex"
				}
				at := s.rng(s.off, s.off+n)
				s.report(rules.CodeSyntax, at, hint, "unexpected character %q", r)
				if s.strayLines == nil {
					s.strayLines = map[int]bool{}
				}
				s.strayLines[at.Start.Line] = true
				s.off += n
			}
		}
	}
	s.emit(tSep, len(src), len(src), "")
	if n := len(s.toks); n > 0 && s.toks[n-1].kind == tSep {
		s.toks = s.toks[:n-1]
	}
}

func (s *scanner) scanComment() {
	start := s.off
	end := strings.IndexByte(s.src[start:], '\n')
	if end < 0 {
		end = len(s.src)
	} else {
		end += start
	}
	text := strings.TrimRight(s.src[start:end], " \t\r")
	if !utf8.ValidString(text) {
		for i := 0; i < len(text); {
			r, n := utf8.DecodeRuneInString(text[i:])
			if r == utf8.RuneError && n == 1 {
				i += s.badUTF8(start + i)
				continue
			}
			i += n
		}
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	s.comments = append(s.comments, rules.Comment{Text: text, Range: s.rng(start, start+len(strings.TrimRight(s.src[start:end], " \t\r")))})
	s.off = end
}

// scanNumber lexes a number (with a glued suffix), a date or a time.
func (s *scanner) scanNumber() {
	src := s.src
	start := s.off
	i := s.off
	for i < len(src) && isDigit(src[i]) {
		i++
	}
	if s.frenchDate(start) || s.frenchTime(start) {
		return
	}
	kind := tNumber
	switch {
	case i+1 < len(src) && src[i] == ':' && isDigit(src[i+1]):
		kind = tTime
		i = skipDigits(src, i+1)
		if i+1 < len(src) && src[i] == ':' && isDigit(src[i+1]) {
			i = skipDigits(src, i+1) // HH:MM:SS, in window bounds
		}
		// HH:MM-HH:MM is one token, so that a span is reported as a whole.
		if j := skipDigits(src, i+1); i+1 < len(src) && src[i] == '-' && j > i+1 && j+1 < len(src) && src[j] == ':' && isDigit(src[j+1]) {
			kind, i = tHours, skipDigits(src, j+1)
		}
	case i+1 < len(src) && src[i] == '-' && isDigit(src[i+1]):
		kind = tDate
		for i+1 < len(src) && src[i] == '-' && isDigit(src[i+1]) {
			i++
			for i < len(src) && isDigit(src[i]) {
				i++
			}
		}
	default:
		for i < len(src) {
			r, n := utf8.DecodeRuneInString(src[i:])
			if r == '-' || !isWordRune(r) {
				break
			}
			i += n
		}
	}
	s.off = i
	s.emit(kind, start, i, "")
}

// scanString lexes a "…" string with escapes.
func (s *scanner) scanString() {
	src := s.src
	start := s.off
	s.diagsAtStart = len(s.diags)
	i := start + 1
	var b strings.Builder
	plain := true // no escape or invalid byte seen: the value is a substring
	closed := false
	for i < len(src) {
		c := src[i]
		if c == '"' {
			closed = true
			break
		}
		if c == '\n' {
			break
		}
		if c == '\r' && i+1 < len(src) && src[i+1] == '\n' {
			break
		}
		if c == '\\' {
			if plain {
				b.WriteString(src[start+1 : i])
				plain = false
			}
			i = s.escape(&b, i)
			continue
		}
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(src[i:])
			if r == utf8.RuneError && n == 1 {
				if plain {
					b.WriteString(src[start+1 : i])
					plain = false
				}
				i += s.badUTF8(i)
				b.WriteRune(utf8.RuneError)
				continue
			}
			if !plain {
				b.WriteString(src[i : i+n])
			}
			i += n
			continue
		}
		if !plain {
			b.WriteByte(c)
		}
		i++
	}
	val := b.String()
	if plain {
		val = src[start+1 : i]
	}
	if !closed {
		s.report(rules.CodeUnterminatedString, s.rng(start, i),
			`close the string with " on the same line, or use a """ block for several lines`,
			"unterminated string")
		s.off = i
		s.emitString(tString, start, i, val)
		return
	}
	s.off = i + 1
	s.emitString(tString, start, i+1, val)
}

func (s *scanner) emitString(kind tokKind, from, to int, val string) {
	if len(s.diags) > s.diagsAtStart {
		if s.tainted == nil {
			s.tainted = map[int]bool{}
		}
		s.tainted[from] = true
	}
	if s.opts.MaxStringLen > 0 && len(val) > s.opts.MaxStringLen {
		s.report(rules.CodeLimit, s.rng(from, min(to, from+3)),
			fmt.Sprintf("shorten it, or raise the limit (MaxStringLen = %d)", s.opts.MaxStringLen),
			"string of %d bytes is longer than the limit of %d", len(val), s.opts.MaxStringLen)
	}
	s.emit(kind, from, to, val)
}

// escape decodes the escape at src[i] (a backslash) into b and returns the
// offset after it.
func (s *scanner) escape(b *strings.Builder, i int) int {
	src := s.src
	if i+1 >= len(src) {
		b.WriteByte('\\')
		return i + 1
	}
	switch src[i+1] {
	case '"':
		b.WriteByte('"')
		return i + 2
	case '\\':
		b.WriteByte('\\')
		return i + 2
	case 'n':
		b.WriteByte('\n')
		return i + 2
	case 't':
		b.WriteByte('\t')
		return i + 2
	case 'u':
		if i+2 < len(src) && src[i+2] == '{' {
			j := i + 3
			for j < len(src) && j-i-3 < 6 && isHex(src[j]) {
				j++
			}
			if j < len(src) && src[j] == '}' && j > i+3 {
				v, err := strconv.ParseUint(src[i+3:j], 16, 32)
				if err == nil && utf8.ValidRune(rune(v)) {
					b.WriteRune(rune(v))
					return j + 1
				}
				s.report(rules.CodeInvalidEscape, s.rng(i, j+1),
					"a \\u{…} escape names a Unicode scalar value, at most 10FFFF and not a surrogate",
					"invalid character code %s", src[i:j+1])
				return j + 1
			}
		}
		s.report(rules.CodeInvalidEscape, s.rng(i, i+2), `write the character code in braces, as in "\u{E9}"`,
			"invalid \\u escape")
		return i + 2
	}
	r, n := utf8.DecodeRuneInString(src[i+1:])
	if r == '\n' || r == '\r' {
		s.report(rules.CodeInvalidEscape, s.rng(i, i+1), `use a """ block for several lines, or \n for a line break`,
			"backslash at the end of a line")
		return i + 1
	}
	s.report(rules.CodeInvalidEscape, s.rng(i, i+1+n),
		`the escapes are \", \\, \n, \t and \u{…}; write \\ for a backslash`,
		"unknown escape \\%c", r)
	b.WriteRune(r)
	return i + 1 + n
}

func isHex(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// scanText lexes a """ block.
func (s *scanner) scanText() {
	src := s.src
	start := s.off
	s.diagsAtStart = len(s.diags)
	i := start + 3
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	if i < len(src) && src[i] != '\n' && !(src[i] == '\r' && i+1 < len(src) && src[i+1] == '\n') {
		// Text on the opening line: report it and treat it as the first
		// line of the block, so that the rest still lexes as intended.
		s.report(rules.CodeSyntax, s.rng(start, start+3), `start the text on the line after """`,
			`text after """ on the opening line`)
	} else if i < len(src) {
		i = strings.IndexByte(src[i:], '\n') + i + 1
	}
	var lines []string
	closing, closed := "", false
	for i < len(src) {
		end := strings.IndexByte(src[i:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += i
		}
		line := strings.TrimSuffix(src[i:end], "\r")
		if k := strings.Index(line, `"""`); k >= 0 {
			closing, closed = line[:k], true
			i += k + 3
			break
		}
		lines = append(lines, line)
		i = end + 1
	}
	if !closed {
		i = len(src)
	}
	// Invalid bytes are reported with their offsets, then replaced.
	body := src[start:i]
	if !utf8.ValidString(body) {
		for j := 0; j < len(body); {
			r, n := utf8.DecodeRuneInString(body[j:])
			if r == utf8.RuneError && n == 1 {
				j += s.badUTF8(start + j)
				continue
			}
			j += n
		}
		for k := range lines {
			lines[k] = strings.ToValidUTF8(lines[k], "\uFFFD")
		}
		closing = strings.ToValidUTF8(closing, "\uFFFD")
	}
	if !closed {
		s.report(rules.CodeUnterminatedString, s.rng(start, start+3),
			`close the block with """ on a line of its own`, `unterminated """ block`)
	}
	s.off = i
	s.emitString(tText, start, i, textValue(lines, closing))
}

// textValue computes the value of a """ block from its content lines and
// the text before the closing quotes: the indentation common to the
// non-blank lines (and to the closing line when it holds only blanks) is
// removed, trailing blanks are removed from every line, and the lines are
// joined with "\n". A closing line with text is the last line of the value.
func textValue(lines []string, closing string) string {
	last := strings.TrimLeft(closing, " \t") != ""
	all := lines
	if last {
		all = append(lines[:len(lines):len(lines)], closing)
	}
	indent, set := "", false
	if !last {
		indent, set = closing, true
	}
	for _, l := range all {
		if strings.TrimLeft(l, " \t") == "" {
			continue
		}
		lead := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		if !set {
			indent, set = lead, true
			continue
		}
		indent = commonPrefix(indent, lead)
	}
	var b strings.Builder
	for k, l := range all {
		if k > 0 {
			b.WriteByte('\n')
		}
		l = strings.TrimRight(l, " \t")
		if strings.HasPrefix(l, indent) {
			l = l[len(indent):]
		} else {
			l = strings.TrimLeft(l, " \t")
		}
		b.WriteString(l)
	}
	return b.String()
}

func commonPrefix(a, b string) string {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return a[:i]
		}
	}
	return a[:n]
}
