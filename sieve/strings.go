package sieve

import (
	"strings"
)

// quote writes s as a Sieve quoted string. Only '"' and '\' need escaping;
// a line break stays literal, which Sieve allows in quoted strings.
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

// stringList writes ss as one string, or as a Sieve string list.
func stringList(ss []string) string {
	if len(ss) == 1 {
		return quote(ss[0])
	}
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// textOrQuote writes a message text: quoted when it is one line, as a
// dot-stuffed "text:" block otherwise. A text block always ends with a
// line break, so one is appended here and removed by Import (see
// decodeMultiline) to keep the text exact.
func textOrQuote(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return quote(s)
	}
	var b strings.Builder
	b.WriteString("text:\n")
	for line := range strings.SplitSeq(s, "\n") {
		if strings.HasPrefix(line, ".") {
			b.WriteByte('.')
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	b.WriteString(".\n")
	return b.String()
}

// decodeQuoted decodes the body of a Sieve quoted string (without its
// quotes): "\" makes the next character literal (RFC 5228 §2.4.2).
func decodeQuoted(s string) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// decodeMultiline decodes a "text:" token: the lines after the "text:"
// line, up to the line holding a single ".", with the leading dot of
// dot-stuffed lines removed (RFC 5228 §2.4.2). CRLF line ends are read as
// LF. The line break that ends the last line is part of the Sieve value;
// trimLast removes it (see textOrQuote).
func decodeMultiline(tok string, trimLast bool) string {
	tok = strings.ReplaceAll(tok, "\r\n", "\n")
	nl := strings.IndexByte(tok, '\n')
	if nl < 0 {
		return ""
	}
	body := tok[nl+1:]
	body = strings.TrimSuffix(body, "\n")
	body = strings.TrimSuffix(body, ".") // the terminating line
	var b strings.Builder
	for line := range strings.SplitSeq(body, "\n") {
		b.WriteString(strings.TrimPrefix(line, ".")) // only dot-stuffed lines start with "." here
		b.WriteByte('\n')
	}
	out := b.String()
	// SplitSeq yields one empty element after the final line break.
	out = strings.TrimSuffix(out, "\n")
	if trimLast {
		out = strings.TrimSuffix(out, "\n")
	}
	return out
}

// unescapedGlob returns a matches key with escaped characters removed, so
// that the wildcards left are the active ones.
func unescapedGlob(k string) string {
	var b strings.Builder
	for i := 0; i < len(k); i++ {
		if k[i] == '\\' {
			i++
			continue
		}
		b.WriteByte(k[i])
	}
	return b.String()
}
