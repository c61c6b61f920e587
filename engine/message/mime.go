package message

import (
	"bytes"
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"
)

// A stop is what ended the body of an entity: a delimiter line of an
// enclosing multipart (level indexes walker.bounds) or the end of the input
// (level -1).
type stop struct {
	level int
	close bool // "--boundary--"
}

var eofStop = stop{level: -1}

// partHeader is what the walker needs of a header section.
type partHeader struct {
	mediaType  string
	params     map[string]string
	encoding   string // Content-Transfer-Encoding, lower case
	attachment bool
}

// walker reads the body of a message, MIME structure included, in one
// pass over its lines, keeping only the decoded text parts.
type walker struct {
	lr      *lineReader
	opts    *Options
	rec     *recorder
	dec     *mime.WordDecoder
	bounds  []string // boundaries of the enclosing multiparts, outermost first
	parts   int
	budget  int64 // bytes of text BodyText may still hold
	texts   []string
	stopped bool // a limit ended the reading of the structure
	// truncated: text was cut at MaxBodyBytes
	truncated bool
	raw       bytes.Buffer
}

// headerOf extracts the MIME fields of a header section. def is the media
// type that applies when there is no valid Content-Type.
func (w *walker) headerOf(fields []rawField, def, where string) partHeader {
	h := partHeader{mediaType: def}
	if mt, params := parseMediaType(fieldValue(fields, "Content-Type"), w.rec, where); mt != "" {
		h.mediaType, h.params = mt, params
	}
	h.encoding = strings.ToLower(strings.TrimSpace(fieldValue(fields, "Content-Transfer-Encoding")))
	if d := fieldValue(fields, "Content-Disposition"); d != "" {
		disp, _, _ := strings.Cut(d, ";")
		h.attachment = strings.EqualFold(strings.TrimSpace(disp), "attachment")
	}
	return h
}

// delimiter reports whether a complete line is a delimiter of one of the
// enclosing multiparts, the innermost first.
func (w *walker) delimiter(data []byte) (stop, bool) {
	if len(w.bounds) == 0 || len(data) < 2 || data[0] != '-' || data[1] != '-' {
		return stop{}, false
	}
	for i := len(w.bounds) - 1; i >= 0; i-- {
		rest, ok := bytes.CutPrefix(data[2:], []byte(w.bounds[i]))
		if !ok {
			continue
		}
		close := false
		if r, ok := bytes.CutPrefix(rest, []byte("--")); ok {
			rest, close = r, true
		}
		if len(bytes.Trim(rest, " \t")) == 0 {
			return stop{level: i, close: close}, true
		}
	}
	return stop{}, false
}

// entity reads the body of an entity with header h, up to the delimiter of
// an enclosing multipart or the end of the input. part numbers the MIME
// part (0 for the message body) for the scope of problems.
func (w *walker) entity(h partHeader, depth, part int, where string) stop {
	w.rec.at(ScopeBody, "", part)
	typ, _, _ := strings.Cut(h.mediaType, "/")
	switch {
	case typ == "multipart" && h.params["boundary"] == "":
		w.rec.add(KindMissingBoundary, "%s is %s without a boundary; its body is read as text", where, h.mediaType)
		h.mediaType = "text/plain"
		return w.text(h, where)
	case typ == "multipart":
		if depth >= w.opts.MaxDepth {
			w.rec.add(KindTooDeep, "%s is nested more than %d levels deep; its content is skipped", where, w.opts.MaxDepth)
			return w.skip()
		}
		return w.multipart(h, depth, part, where)
	case h.mediaType == "message/rfc822" && !h.attachment && isIdentity(h.encoding):
		if depth >= w.opts.MaxDepth {
			w.rec.add(KindTooDeep, "%s is nested more than %d levels deep; its content is skipped", where, w.opts.MaxDepth)
			return w.skip()
		}
		inner := where + " (embedded message)"
		fields, st, ended := w.readHeader(inner)
		if ended {
			return st
		}
		return w.entity(w.headerOf(fields, "text/plain", inner), depth+1, part, inner)
	case typ == "text" && !h.attachment:
		return w.text(h, where)
	}
	return w.skip()
}

// rawLimit returns how many encoded bytes of a text part are enough to
// fill budget bytes of UTF-8 text. Every charset gives at least one UTF-8
// byte per two decoded bytes (UTF-16 being the worst case); base64 takes 4
// bytes per 3 plus line breaks, quoted-printable up to 3 per byte.
func rawLimit(cte string, budget int64) int64 {
	const slack = 4096
	if budget > 1<<58 {
		return 1 << 62
	}
	decoded := 2 * budget
	switch cte {
	case "base64":
		return decoded/3*4 + decoded/38 + slack
	case "quoted-printable":
		return 3*decoded + slack
	}
	return decoded + slack
}

func isIdentity(cte string) bool {
	switch cte {
	case "", "7bit", "8bit", "binary":
		return true
	}
	return false
}

// readHeader reads the header section of a part or embedded message.
func (w *walker) readHeader(where string) ([]rawField, stop, bool) {
	hr := headerReader{lr: w.lr, rec: w.rec, opts: w.opts, where: where, delim: w.delimiter}
	return hr.read(false)
}

// multipart reads the parts of a multipart body.
func (w *walker) multipart(h partHeader, depth, own int, where string) stop {
	boundary := h.params["boundary"]
	childType := "text/plain"
	if h.mediaType == "multipart/digest" {
		childType = "message/rfc822"
	}
	w.bounds = append(w.bounds, boundary)
	level := len(w.bounds) - 1
	defer func() { w.bounds = w.bounds[:level] }()

	st := w.skip() // the preamble
	for !w.stopped {
		w.rec.at(ScopeBody, "", own)
		if st.level != level {
			w.rec.add(KindTruncatedMIME, "%s: missing closing boundary %s", where, quote(boundary))
			return st
		}
		if st.close {
			w.bounds = w.bounds[:level] // a repeated delimiter in the epilogue is text
			return w.skip()
		}
		w.parts++
		if w.parts > w.opts.MaxParts {
			w.rec.add(KindTooManyParts, "the message has more than %d MIME parts; the rest is skipped", w.opts.MaxParts)
			w.stopped = true
			break
		}
		n := w.parts
		part := fmt.Sprintf("MIME part %d", n)
		w.rec.at(ScopeBody, "", n)
		fields, hst, ended := w.readHeader("header of " + part)
		if ended {
			st = hst
			continue
		}
		st = w.entity(w.headerOf(fields, childType, "header of "+part), depth+1, n, part)
	}
	return eofStop
}

// skip reads lines up to the next delimiter, keeping nothing.
func (w *walker) skip() stop {
	for !w.stopped {
		l, ok := w.lr.next()
		if !ok {
			break
		}
		if l.complete(w.lr.eof) {
			if st, ok := w.delimiter(l.data); ok {
				return st
			}
		}
	}
	return eofStop
}

// text reads a text part up to the next delimiter and keeps it decoded,
// with "\n" line ends, within the remaining body budget. A text/html part
// is kept as its text (see htmlText), not as its source.
func (w *walker) text(h partHeader, where string) stop {
	rawCap := rawLimit(h.encoding, w.budget)
	w.raw.Reset()
	var pendingEOL []byte // the line break before a delimiter belongs to it
	full := false
	add := func(b []byte) {
		if full {
			return
		}
		if room := rawCap - int64(w.raw.Len()); int64(len(b)) > room {
			w.raw.Write(b[:room]) // the start of a long line still counts
			full = true
			return
		}
		w.raw.Write(b)
	}
	st := eofStop
	for !w.stopped {
		l, ok := w.lr.next()
		if !ok {
			break
		}
		if l.complete(w.lr.eof) {
			if s, ok := w.delimiter(l.data); ok {
				st = s
				break
			}
		}
		if w.budget <= 0 {
			full = true
			continue
		}
		add(pendingEOL)
		add(l.data)
		pendingEOL = lineEnd(l.eol) // l.eol is overwritten by the next read
	}
	if st == eofStop && w.budget > 0 {
		add(pendingEOL)
	}
	if w.budget <= 0 {
		w.truncated = true
		w.rec.add(KindBodyTooLarge, "text beyond %d bytes is not kept", w.opts.MaxBodyBytes)
		return st
	}
	var decoded []byte
	switch h.encoding {
	case "quoted-printable":
		decoded = decodeQuotedPrintable(w.raw.Bytes())
	case "base64":
		var ok bool
		decoded, ok = decodeBase64(w.raw.Bytes())
		if !ok && !full {
			w.rec.add(KindInvalidBase64, "%s: content that is not base64 was skipped", where)
		}
	default:
		if !isIdentity(h.encoding) {
			w.rec.add(KindUnknownEncoding, "%s: Content-Transfer-Encoding %s; the content is kept as written", where, quote(h.encoding))
		}
		decoded = w.raw.Bytes()
	}
	if bytes.Contains(decoded, crlf) {
		decoded = bytes.ReplaceAll(decoded, crlf, lf)
	}
	s := textToUTF8(decoded, h.params["charset"], w.rec)
	if h.mediaType == "text/html" {
		s = htmlText(s)
	}
	if int64(len(s)) > w.budget {
		s = cutUTF8(s, int(w.budget))
		full = true
	}
	if full {
		w.truncated = true
		w.rec.add(KindBodyTooLarge, "text beyond %d bytes is not kept", w.opts.MaxBodyBytes)
	}
	w.budget -= int64(len(s))
	w.texts = append(w.texts, s)
	return st
}

// cutUTF8 shortens s to at most n bytes without splitting a character.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

var (
	crlf = []byte("\r\n")
	lf   = []byte("\n")
)

// lineEnd returns a stable copy of a line end read by lineReader.
func lineEnd(eol []byte) []byte {
	switch len(eol) {
	case 2:
		return crlf
	case 1:
		return lf
	}
	return nil
}
