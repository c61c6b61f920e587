package message

import (
	"bytes"
	"unicode/utf8"
)

// A rawField is a header field as read: name as written, value unfolded and
// converted to UTF-8 but not yet RFC 2047-decoded. Both are substrings of
// one string per header section.
type rawField struct {
	name  string
	value string
}

// fieldSpan locates a field in the arena of a header section being read.
type fieldSpan struct {
	name, value, end int // name is arena[name:value], value arena[value:end]
}

// headerReader reads one header section (of the message, of a MIME part or
// of an embedded message) within the limits of Options.
type headerReader struct {
	lr    *lineReader
	rec   *recorder
	opts  *Options
	buf   *buffers
	where string // "message header", "header of MIME part 3"…
	// delim reports whether a complete line is a MIME delimiter that ends
	// the enclosing entity, and so ends this header section too.
	delim func(data []byte) (stop, bool)
}

// read reads a header section up to and including the blank line that
// ends it. If a delimiter line ends it first, read returns that delimiter
// and true. Malformed lines are skipped and recorded; what exceeds the
// limits is read and dropped. The fields returned are valid until the
// next read with the same buffers; their strings stay valid.
func (h *headerReader) read(top bool) ([]rawField, stop, bool) {
	b := h.buf
	var (
		spans    = b.spans[:0]
		arena    = b.arena[:0] // names and values of the fields, back to back
		phys     = b.phys[:0]  // the physical line being assembled
		cur      = b.cur[:0]   // the logical field being assembled (folded lines)
		inField  bool          // cur holds a field that continuation lines extend
		skipping bool          // drop continuation lines of a dropped line
		total    int
		overflow bool
		tooMany  bool
		first    = true
	)
	flush := func() {
		if !inField {
			return
		}
		inField = false
		if len(spans) >= h.opts.MaxHeaders {
			if !tooMany {
				tooMany = true
				h.rec.add(KindTooManyFields, "%s has more than %d fields; the rest are ignored", h.where, h.opts.MaxHeaders)
			}
			return
		}
		colon := bytes.IndexByte(cur, ':')
		sp := fieldSpan{name: len(arena)}
		arena = append(arena, bytes.TrimRight(cur[:colon], " \t")...)
		sp.value = len(arena)
		value := bytes.Trim(cur[colon+1:], " \t\r\n")
		if utf8.Valid(value) {
			arena = append(arena, value...)
		} else {
			arena = append(arena, fromWindows1252(value)...)
		}
		sp.end = len(arena)
		spans = append(spans, sp)
	}
	// physical handles one complete physical line (without its end of line).
	physical := func(b []byte) {
		isFirst := first
		first = false
		if len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
			switch {
			case inField:
				cur = append(cur, b...)
			case !skipping:
				skipping = true
				h.rec.add(KindMalformedHeader, "%s: continuation line without a field: %s", h.where, quote(string(b)))
			}
			return
		}
		flush()
		skipping = false
		if validFieldName(b) {
			cur = append(cur[:0], b...)
			inField = true
			return
		}
		skipping = true
		if isFirst && top && bytes.HasPrefix(b, []byte("From ")) {
			return // an mbox envelope line, not part of the message header
		}
		h.rec.add(KindMalformedHeader, "%s: line is not a field: %s", h.where, quote(string(b)))
	}
	finish := func(st stop, ended bool) ([]rawField, stop, bool) {
		if len(phys) > 0 {
			physical(phys)
		}
		flush()
		s := string(arena)
		fields := b.fields[:0]
		for _, sp := range spans {
			fields = append(fields, rawField{name: s[sp.name:sp.value], value: s[sp.value:sp.end]})
		}
		b.spans, b.arena, b.phys, b.cur, b.fields = spans, arena, phys, cur, fields
		return fields, st, ended
	}
	for {
		l, ok := h.lr.next()
		if !ok {
			break
		}
		if l.start && len(l.data) == 0 && len(l.eol) > 0 {
			break // the blank line that ends the section
		}
		if h.delim != nil && l.complete(h.lr.eof) {
			if st, ok := h.delim(l.data); ok {
				return finish(st, true)
			}
		}
		total += len(l.data) + len(l.eol)
		if total > h.opts.MaxHeaderBytes {
			if !overflow {
				overflow = true
				h.rec.add(KindHeaderTooLarge, "%s is larger than %d bytes; the rest is ignored", h.where, h.opts.MaxHeaderBytes)
			}
			phys = phys[:0]
			continue
		}
		phys = append(phys, l.data...)
		if len(l.eol) > 0 || h.lr.eof {
			physical(phys)
			phys = phys[:0]
		}
	}
	return finish(stop{level: -1}, false)
}

// validFieldName reports whether line begins with a field name (printable
// ASCII but ':') followed by optional white space and a colon.
func validFieldName(line []byte) bool {
	colon := bytes.IndexByte(line, ':')
	if colon <= 0 {
		return false
	}
	name := bytes.TrimRight(line[:colon], " \t")
	if len(name) == 0 {
		return false
	}
	for _, c := range name {
		if c < 33 || c > 126 {
			return false
		}
	}
	return true
}

// fieldValue returns the first value of the field name in fields, or "".
func fieldValue(fields []rawField, name string) string {
	for _, f := range fields {
		if equalFoldASCII(f.name, name) {
			return f.value
		}
	}
	return ""
}

// equalFoldASCII reports whether a and b are equal but for the case of
// ASCII letters. Field names are ASCII.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
