package autoreply

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"
)

// Encoded-words (RFC 2047) in UTF-8. The standard library's mime.WordEncoder
// splits long text into 75-character words but does not fold them nor size
// the first word for the field name; this encoder does both, and never cuts
// a character across two words (RFC 2047 §5 (3)).

const (
	maxWord   = 75 // RFC 2047 §2
	qPrefix   = "=?utf-8?q?"
	bPrefix   = "=?utf-8?b?"
	wordExtra = len(qPrefix) + len("?=")
)

// qSafe reports whether c stands for itself in a Q-encoded word: in a
// phrase (a display name) only letters, digits and "!*+-/" (RFC 2047 §5
// (3)); in unstructured text (Subject) any printable ASCII but "=", "?",
// "_" and space (§5 (1)).
func qSafe(c byte, phrase bool) bool {
	if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!*+-/", c) >= 0 {
		return true
	}
	return !phrase && c > ' ' && c < 0x7f && c != '=' && c != '?' && c != '_'
}

// qLen returns the Q-encoded length of s.
func qLen(s string, phrase bool) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if qSafe(s[i], phrase) || s[i] == ' ' {
			n++
		} else {
			n += 3
		}
	}
	return n
}

// encodeWords returns s as encoded-words, the first at most first
// characters long, the others at most 75. Q is used unless B is shorter.
// phrase says whether s is a display name (see qSafe).
func encodeWords(s string, first int, phrase bool) []string {
	useB := 4*((len(s)+2)/3) < qLen(s, phrase)
	var words []string
	limit := min(first, maxWord)
	for s != "" {
		room := limit - wordExtra
		n, q := 0, 0 // bytes of s in this word, their Q length
		for n < len(s) {
			_, size := utf8.DecodeRuneInString(s[n:])
			rq := qLen(s[n:n+size], phrase)
			l := q + rq
			if useB {
				l = 4 * ((n + size + 2) / 3)
			}
			if l > room && n > 0 {
				break
			}
			n, q = n+size, q+rq
		}
		words = append(words, encodeWord(s[:n], useB, phrase))
		s = s[n:]
		limit = maxWord
	}
	return words
}

// encodeWord returns one encoded-word holding s.
func encodeWord(s string, useB, phrase bool) string {
	var b strings.Builder
	if useB {
		b.WriteString(bPrefix)
		b.WriteString(base64.StdEncoding.EncodeToString([]byte(s)))
	} else {
		const hex = "0123456789ABCDEF"
		b.WriteString(qPrefix)
		for i := 0; i < len(s); i++ {
			switch c := s[i]; {
			case c == ' ':
				b.WriteByte('_')
			case qSafe(c, phrase):
				b.WriteByte(c)
			default:
				b.WriteByte('=')
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&15])
			}
		}
	}
	b.WriteString("?=")
	return b.String()
}
