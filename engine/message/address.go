package message

import (
	"strings"
)

// Address is one mailbox of an address field.
type Address struct {
	Name   string // display name, decoded to UTF-8; "" when there is none
	Local  string // local part as written (quotes kept)
	Domain string // domain as written (case kept); "" for a bare local name such as MAILER-DAEMON
}

// String returns "local@domain", without the display name; the local part
// alone when there is no domain; "" for an empty address.
func (a Address) String() string {
	if a.Domain == "" {
		return a.Local
	}
	return a.Local + "@" + a.Domain
}

// ParseAddressList reads an address list (the value of From, To, Cc…) as
// written in a header, encoded-words included. It is best-effort: display
// names with quotes and RFC 2047 words, groups ("undisclosed-recipients:;"),
// comments, angle and bare addresses and obsolete forms (routes, spaces
// around dots) are understood; an entry that cannot be read is skipped,
// the others are kept, and ok is false.
func ParseAddressList(value string) (list []Address, ok bool) {
	return parseAddressList(value, &wordDecoder{}, &buffers{}, nil)
}

// isAddressField reports whether name (any case) is one of
// knownAddressFields. It does not allocate.
func isAddressField(name string) bool {
	var buf [32]byte
	if len(name) > len(buf) {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return knownAddressFields[string(buf[:len(name)])]
}

// knownAddressFields are the fields whose addresses Read parses up front,
// by lower-case name.
var knownAddressFields = map[string]bool{
	"from": true, "sender": true, "reply-to": true, "to": true, "cc": true, "bcc": true,
	"resent-from": true, "resent-sender": true, "resent-reply-to": true,
	"resent-to": true, "resent-cc": true, "resent-bcc": true,
	"return-path": true, "disposition-notification-to": true, "return-receipt-to": true,
	"errors-to": true, "mail-followup-to": true, "mail-reply-to": true,
	"delivered-to": true, "x-original-to": true, "envelope-to": true, "apparently-to": true,
}

type tokenKind uint8

const (
	tokAtom    tokenKind = iota // atext and dots
	tokQuoted                   // quoted string; text unescaped, raw as written
	tokComment                  // comment; text unescaped, without parentheses
	tokLiteral                  // domain literal, raw as written
	tokSpecial                  // one of < > @ , ; :
)

type token struct {
	kind  tokenKind
	text  string // meaning: unescaped content, or the special character
	raw   string // as written
	off   int    // of raw in the list
	space bool   // preceded by white space or a comment
}

// tokenize splits an address list into tokens, appended to toks. It never
// fails: an unterminated quote mark is dropped, an unterminated comment or
// literal runs to the end, and stray closing characters are dropped; bad
// reports any of these. Text is a substring of s unless unescaping
// changes it.
func tokenize(s string, toks []token) (_ []token, bad bool) {
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case ' ', '\t', '\r', '\n':
			space = true
			i++
		case '"':
			if j := strings.IndexByte(s[i+1:], '"'); j >= 0 && !strings.ContainsAny(s[i+1:i+1+j], "\\\r\n") {
				j += i + 2 // the common case: nothing to unescape
				toks = append(toks, token{kind: tokQuoted, text: s[i+1 : j-1], raw: s[i:j], off: i, space: space})
				space, i = false, j
				continue
			}
			var b strings.Builder
			j := i + 1
			closed := false
			for ; j < len(s); j++ {
				if s[j] == '\\' && j+1 < len(s) {
					j++
					b.WriteByte(s[j])
					continue
				}
				if s[j] == '"' {
					closed = true
					j++
					break
				}
				if s[j] != '\r' && s[j] != '\n' {
					b.WriteByte(s[j])
				}
			}
			if !closed {
				// An unterminated quote would swallow the rest of the list:
				// drop the stray quote mark and read on.
				bad = true
				i++
				continue
			}
			toks = append(toks, token{kind: tokQuoted, text: b.String(), raw: s[i:j], off: i, space: space})
			space, i = false, j
		case '(':
			// The text is the content without the outer parentheses and
			// the backslashes of quoted pairs.
			var b strings.Builder
			escaped := false
			depth := 1
			j := i + 1
			for ; j < len(s) && depth > 0; j++ {
				switch s[j] {
				case '\\':
					if !escaped {
						escaped = true
						b.WriteString(s[i+1 : j])
					}
					if j+1 < len(s) {
						j++
						b.WriteByte(s[j])
					}
					continue
				case '(':
					depth++
				case ')':
					depth--
					if depth == 0 {
						continue
					}
				}
				if escaped {
					b.WriteByte(s[j])
				}
			}
			bad = bad || depth > 0
			var text string
			switch {
			case escaped:
				text = b.String()
			case depth == 0:
				text = s[i+1 : j-1]
			default:
				text = s[i+1 : j]
			}
			toks = append(toks, token{kind: tokComment, text: strings.TrimSpace(text), raw: s[i:j], off: i, space: space})
			space, i = true, j
		case '[':
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				bad = true
				j = len(s)
			} else {
				j += i + 1
			}
			toks = append(toks, token{kind: tokLiteral, text: s[i:j], raw: s[i:j], off: i, space: space})
			space, i = false, j
		case '<', '>', '@', ',', ';', ':':
			toks = append(toks, token{kind: tokSpecial, text: s[i : i+1], raw: s[i : i+1], off: i, space: space})
			space, i = false, i+1
		case ')', ']', '\\':
			bad = true
			i++
		default:
			j := i + 1
			for j < len(s) && isAtomByte(s[j]) {
				j++
			}
			toks = append(toks, token{kind: tokAtom, text: s[i:j], raw: s[i:j], off: i, space: space})
			space, i = false, j
		}
	}
	return toks, bad
}

// isAtomByte reports whether c may continue an atom. Dots are part of
// atoms, so "dr.martin" and "Dr." are one token each; bytes of UTF-8
// sequences are accepted (RFC 6532).
func isAtomByte(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '"', '(', ')', '<', '>', '@', ',', ';', ':', '[', ']', '\\':
		return false
	}
	return true
}

func isSpecial(t token, c string) bool { return t.kind == tokSpecial && t.text == c }

// parseAddressList splits tokens into entries at top-level commas and
// semicolons, drops group names, and reads each entry. The addresses are
// appended to list; b lends its token buffers.
func parseAddressList(value string, dec *wordDecoder, b *buffers, list []Address) (_ []Address, ok bool) {
	toks, bad := tokenize(value, b.toks[:0])
	b.toks = toks
	var (
		entry   = b.entry[:0]
		inAngle bool
		inGroup bool
	)
	defer func() { b.entry = entry }()
	emit := func() {
		a, found, good := parseEntry(value, entry, dec)
		if found {
			list = append(list, a)
		}
		bad = bad || !good
		entry = entry[:0]
		inAngle = false
	}
	for i, t := range toks {
		if t.kind == tokSpecial {
			switch t.text {
			case "<":
				bad = bad || inAngle
				inAngle = true
			case ">":
				inAngle = false
			case ",":
				// Inside angle brackets a comma only belongs to an obsolete
				// route ("<@a,@b:x@y>"); otherwise a ">" is missing.
				if inAngle && i+1 < len(toks) && isSpecial(toks[i+1], "@") {
					break
				}
				bad = bad || inAngle
				emit()
				continue
			case ";":
				if !inAngle {
					emit()
					inGroup = false
					continue
				}
			case ":":
				if !inAngle && !inGroup && !hasSpecial(entry, "@") && !hasSpecial(entry, "<") {
					entry = entry[:0] // a group's display name is no address
					inGroup = true
					continue
				}
			}
		}
		entry = append(entry, t)
	}
	emit()
	return list, !bad
}

func hasSpecial(toks []token, c string) bool {
	for _, t := range toks {
		if isSpecial(t, c) {
			return true
		}
	}
	return false
}

// parseEntry reads one mailbox: "phrase <addr-spec>", "<addr-spec>" or
// "addr-spec (comment)". found is false for an entry that holds no
// address (empty, comments only, "<>"); good is false when the entry was
// malformed, whether or not an address could be recovered.
func parseEntry(src string, toks []token, dec *wordDecoder) (a Address, found, good bool) {
	var comment string
	content := 0
	for _, t := range toks {
		if t.kind == tokComment {
			if comment == "" {
				comment = t.text
			}
			continue
		}
		content++
	}
	if content == 0 {
		return Address{}, false, true
	}
	lt := -1
	for i, t := range toks {
		if isSpecial(t, "<") {
			lt = i
			break
		}
	}
	good = true
	var spec []token
	name := ""
	if lt >= 0 {
		name = phrase(src, toks[:lt])
		rest := toks[lt+1:]
		gt := len(rest)
		for i, t := range rest {
			if isSpecial(t, ">") {
				gt = i
				break
			}
		}
		if gt == len(rest) {
			good = false
		} else {
			for _, t := range rest[gt+1:] {
				if t.kind != tokComment {
					good = false
				}
			}
		}
		spec = rest[:gt]
		// An obsolete route ("@a,@b:") before the address is dropped.
		for i := len(spec) - 1; i >= 0; i-- {
			if isSpecial(spec[i], ":") {
				spec = spec[i+1:]
				break
			}
		}
		if len(spec) == 0 {
			return Address{}, false, good // "<>", the null reverse path
		}
	} else {
		spec = toks
	}
	local, domain, ok := addrSpec(spec)
	if !ok {
		return Address{}, false, false
	}
	if name == "" {
		name = comment
	}
	return Address{Name: decodeWords(dec, name), Local: local, Domain: domain}, true, good
}

// phrase joins the words of a display name: quoted strings unquoted, words
// separated by one space where the source had white space. When that is
// the source itself (one word, or words written with single spaces), it is
// a substring of src.
func phrase(src string, toks []token) string {
	if s, ok := phraseAsWritten(src, toks); ok {
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	for _, t := range toks {
		if t.kind == tokComment {
			continue
		}
		if b.Len() > 0 && t.space {
			b.WriteByte(' ')
		}
		b.WriteString(t.text)
	}
	return strings.TrimSpace(b.String())
}

// addrSpec reads "local@domain" from tokens, comments and white space
// ignored. A single atom without "@" is a bare local name.
func addrSpec(toks []token) (local, domain string, ok bool) {
	at, words, first := -1, 0, -1
	for i, t := range toks {
		switch {
		case t.kind == tokComment:
			continue
		case isSpecial(t, "@"):
			at = i
		}
		if first < 0 {
			first = i
		}
		words++
	}
	if at < 0 {
		if words == 1 && toks[first].kind == tokAtom {
			return toks[first].raw, "", true
		}
		return "", "", false
	}
	local, ok = joinRaw(toks[:at], tokAtom, tokQuoted)
	if !ok {
		return "", "", false
	}
	domain, ok = joinRaw(toks[at+1:], tokAtom, tokLiteral)
	return local, domain, ok
}

// joinRaw concatenates the raw text of tokens, comments skipped; ok is
// false if there is none, or one of another kind than a and b.
func joinRaw(toks []token, a, b tokenKind) (string, bool) {
	var s string
	n := 0
	for _, t := range toks {
		switch t.kind {
		case tokComment:
			continue
		case a, b:
		default:
			return "", false
		}
		if n == 0 {
			s = t.raw // the common case: one token, no copy
		} else {
			s += t.raw
		}
		n++
	}
	return s, n > 0
}

// phraseAsWritten returns the phrase of toks as a substring of src when it
// is one: a single word, or words whose text is as written (no quotes, no
// comments) separated by nothing or by one space, as phrase would join them.
func phraseAsWritten(src string, toks []token) (string, bool) {
	switch len(toks) {
	case 0:
		return "", true
	case 1:
		if toks[0].kind == tokComment {
			return "", true
		}
		return toks[0].text, true
	}
	end := 0
	for k, t := range toks {
		if t.kind == tokComment || t.kind == tokQuoted {
			return "", false
		}
		if k > 0 {
			switch {
			case t.space && (t.off != end+1 || src[end] != ' '):
				return "", false
			case !t.space && t.off != end:
				return "", false
			}
		}
		end = t.off + len(t.raw)
	}
	return src[toks[0].off:end], true
}
