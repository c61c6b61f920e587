package message

import (
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
)

// lookupCharset finds the decoder of a MIME charset name. It tries the
// WHATWG names first (as mail clients do, so ISO-8859-1 is read as its
// superset windows-1252), then the IANA registry. An RFC 2231 language
// suffix ("utf-8*fr") is ignored.
func lookupCharset(name string) (encoding.Encoding, bool) {
	name = strings.TrimSpace(name)
	if i := strings.IndexByte(name, '*'); i >= 0 {
		name = name[:i]
	}
	name = strings.Trim(name, `"'`)
	if name == "" {
		return nil, false
	}
	if e, err := htmlindex.Get(name); err == nil {
		return e, true
	}
	for _, idx := range []*ianaindex.Index{ianaindex.MIME, ianaindex.IANA} {
		if e, err := idx.Encoding(name); err == nil && e != nil {
			return e, true
		}
	}
	return nil, false
}

// fromWindows1252 decodes b as windows-1252, the usual charset of raw 8-bit
// text that is not UTF-8.
func fromWindows1252(b []byte) string {
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(out)
}

// rawText turns raw header bytes into UTF-8: kept as they are when valid,
// read as windows-1252 otherwise. No problem is recorded for the latter:
// unlabelled 8-bit headers are common and windows-1252 is what they mean.
func rawText(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return fromWindows1252(b)
}

// textToUTF8 converts a decoded body part in the given charset to UTF-8.
// A part without a charset (or labelled US-ASCII) that is not valid UTF-8 is
// read as windows-1252 without a problem; text declared UTF-8 but invalid
// has its bad bytes replaced by U+FFFD; an unknown charset keeps the bytes
// as they are (bad ones replaced by U+FFFD). The last two are problems.
func textToUTF8(b []byte, charset string, rec *recorder) string {
	lc := strings.ToLower(strings.TrimSpace(charset))
	switch lc {
	case "", "us-ascii", "ascii":
		return rawText(b)
	case "utf-8", "utf8":
		if utf8.Valid(b) {
			return string(b)
		}
		rec.add(KindInvalidUTF8, "text part declared UTF-8 holds invalid bytes; they are replaced by U+FFFD")
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	enc, ok := lookupCharset(lc)
	if !ok {
		rec.add(KindUnknownCharset, "charset %s of a text part; its bytes are kept as they are", quote(charset))
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		rec.add(KindUnknownCharset, "cannot convert charset %s: %v", quote(charset), err)
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

// newWordDecoder returns an RFC 2047 decoder whose charsets come from
// golang.org/x/text. An unknown charset is a problem recorded in rec (when
// rec is not nil) and its bytes are kept as they are; it never makes the
// whole field undecodable.
func newWordDecoder(rec *recorder) *mime.WordDecoder {
	return &mime.WordDecoder{CharsetReader: func(charset string, input io.Reader) (io.Reader, error) {
		if enc, ok := lookupCharset(charset); ok {
			return enc.NewDecoder().Reader(input), nil
		}
		if rec != nil {
			rec.add(KindUnknownCharset, "charset %s in an encoded-word; its bytes are kept as they are", quote(charset))
		}
		return input, nil
	}}
}

// wordDecoder builds the RFC 2047 decoder of a message (newWordDecoder)
// on first use: most fields hold no encoded-word.
type wordDecoder struct {
	rec *recorder
	dec *mime.WordDecoder
}

func (d *wordDecoder) get() *mime.WordDecoder {
	if d.dec == nil {
		d.dec = newWordDecoder(d.rec)
	}
	return d.dec
}

// decodeWords decodes the RFC 2047 encoded-words of s. Malformed words are
// kept as written; the result is always valid UTF-8.
func decodeWords(dec *wordDecoder, s string) string {
	if strings.Contains(s, "=?") {
		if d, err := dec.get().DecodeHeader(latin1AsWindows1252(s)); err == nil {
			s = d
		}
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return s
}

// latin1AsWindows1252 relabels ISO-8859-1 encoded-words as windows-1252.
// mime.WordDecoder decodes ISO-8859-1 itself, as Latin-1 proper, which
// turns the "€", "œ" or curly quotes that mail clients write under that
// label into control characters.
func latin1AsWindows1252(s string) string {
	const label, relabel = "=?iso-8859-1?", "=?windows-1252?"
	var b strings.Builder
	rest := s
	for {
		i := strings.Index(rest, "=?")
		if i < 0 {
			break
		}
		if len(rest)-i >= len(label) && strings.EqualFold(rest[i:i+len(label)], label) {
			b.WriteString(rest[:i])
			b.WriteString(relabel)
			rest = rest[i+len(label):]
			continue
		}
		b.WriteString(rest[:i+2])
		rest = rest[i+2:]
	}
	if b.Len() == len(s)-len(rest) {
		return s // nothing relabelled
	}
	b.WriteString(rest)
	return b.String()
}
