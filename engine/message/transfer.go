package message

import (
	"bytes"
	"encoding/base64"
)

// decodeQuotedPrintable decodes RFC 2045 quoted-printable leniently, as
// mail clients do: "=" not followed by two hex digits or a line break is
// kept as written, trailing white space of each line is dropped, soft line
// breaks join lines, line breaks become "\n". It never fails. The text is
// appended to dst.
func decodeQuotedPrintable(dst, src []byte) []byte {
	for len(src) > 0 {
		var ln []byte
		eol := false
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			ln, src, eol = src[:i], src[i+1:], true
		} else {
			ln, src = src, nil
		}
		ln = bytes.TrimRight(ln, " \t\r")
		soft := false
		for i := 0; i < len(ln); i++ {
			c := ln[i]
			switch {
			case c != '=':
				dst = append(dst, c)
			case i == len(ln)-1:
				soft = true
			case i+2 < len(ln) && isHex(ln[i+1]) && isHex(ln[i+2]):
				dst = append(dst, unhex(ln[i+1])<<4|unhex(ln[i+2]))
				i += 2
			default:
				dst = append(dst, '=')
			}
		}
		if eol && !soft {
			dst = append(dst, '\n')
		}
	}
	return dst
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' || 'a' <= c && c <= 'f'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// decodeBase64 decodes RFC 2045 base64 leniently: white space is skipped,
// padding is optional, data after padding (concatenated encodings) is
// decoded too, and bytes outside the alphabet are skipped. ok is false when
// input had to be skipped or ended in the middle of a byte.
func decodeBase64(src []byte) (out []byte, ok bool) {
	ok = true
	out = make([]byte, 0, len(src)*3/4+3)
	quantum := make([]byte, 0, len(src))
	padded := false
	flush := func() {
		if len(quantum)%4 == 1 {
			quantum = quantum[:len(quantum)-1]
			ok = false
		}
		n := len(out)
		out = out[:n+base64.RawStdEncoding.DecodedLen(len(quantum))]
		m, err := base64.RawStdEncoding.Decode(out[n:], quantum)
		if err != nil {
			ok = false
		}
		out = out[:n+m]
		quantum = quantum[:0]
	}
	for _, c := range src {
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
		case c == '=':
			padded = true
		case isBase64(c):
			if padded {
				flush()
				padded = false
			}
			quantum = append(quantum, c)
		default:
			ok = false
		}
	}
	flush()
	return out, ok
}

func isBase64(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/'
}
