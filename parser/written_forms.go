package parser

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tamis-mss/tamis/rules"
)

// The forms administrators write instead of the language's: French dates
// (14/07/2025), French times (14h30, 8h-12h) and addresses without quotes.
// Each is reported once, with the form to write, and read as that form so
// that the rest of the line is checked as usual.

// frenchDate lexes D/M/YYYY at off, reports it and emits the ISO date; it
// returns false when the source is not such a date.
func (s *scanner) frenchDate(off int) bool {
	src := s.src
	d := skipDigits(src, off)
	if d == off || d-off > 2 || d >= len(src) || src[d] != '/' {
		return false
	}
	m := skipDigits(src, d+1)
	if m == d+1 || m-d-1 > 2 || m >= len(src) || src[m] != '/' {
		return false
	}
	y := skipDigits(src, m+1)
	if y-m-1 != 4 || y < len(src) && isWordRune(rune(src[y])) {
		return false
	}
	iso := fmt.Sprintf("%s-%02s-%02s", src[m+1:y], pad2(src[d+1:m]), pad2(src[off:d]))
	s.report(rules.CodeInvalidDate, s.rng(off, y), fmt.Sprintf("dates are written YYYY-MM-DD: %s", iso),
		"the date %s is written day first", src[off:y])
	s.off = y
	s.emitAs(tDate, off, y, iso)
	return true
}

// frenchTime lexes H[H]h[MM] at off, or a span of two (8h-12h30), reports
// it and emits the HH:MM form; it returns false when the source is not
// such a time.
func (s *scanner) frenchTime(off int) bool {
	first, end, ok := frenchClock(s.src, off)
	if !ok {
		return false
	}
	kind, iso := tTime, first
	if end+1 < len(s.src) && s.src[end] == '-' && isDigit(s.src[end+1]) {
		second, e2, ok := frenchClock(s.src, end+1)
		if !ok {
			if j := skipDigits(s.src, end+1); j+2 < len(s.src) && s.src[j] == ':' {
				second, e2, ok = s.src[end+1:j+3], j+3, true // 8h-12:00
			}
		}
		if ok {
			kind, iso, end = tHours, first+"-"+second, e2
		}
	}
	// "every 24h" is a period: a bare hour is a time only after a date
	// (from 2025-07-14 14h) or in a span.
	if kind == tTime && end-off <= 3 && (len(s.toks) == 0 || s.toks[len(s.toks)-1].kind != tDate) {
		return false
	}
	what := "times are written HH:MM: %s"
	if kind == tHours {
		what = "hours are written HH:MM-HH:MM: %s"
	}
	s.report(rules.CodeInvalidDate, s.rng(off, end), fmt.Sprintf(what, iso), "the time %s is written the French way", s.src[off:end])
	s.off = end
	s.emitAs(kind, off, end, iso)
	return true
}

// frenchClock reads H[H]h[MM] at off and returns it as HH:MM and the
// offset after it.
func frenchClock(src string, off int) (string, int, bool) {
	h := skipDigits(src, off)
	if h == off || h-off > 2 || h >= len(src) || src[h] != 'h' && src[h] != 'H' {
		return "", 0, false
	}
	m := skipDigits(src, h+1)
	if m-h-1 != 0 && m-h-1 != 2 {
		return "", 0, false
	}
	if m < len(src) {
		if r, _ := utf8.DecodeRuneInString(src[m:]); r != '-' && isWordRune(r) {
			return "", 0, false
		}
	}
	mm := src[h+1 : m]
	if mm == "" {
		mm = "00"
	}
	return pad2(src[off:h]) + ":" + mm, m, true
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// bareValue lexes a word glued to "@", "/" or an inner "." (an address, a
// domain or a folder path written without quotes) from start to the next
// space or delimiter, reports it and emits it as a string; it returns false
// for a plain word.
func (s *scanner) bareValue(start, wordEnd int) bool {
	src := s.src
	if wordEnd >= len(src) {
		return false
	}
	c := src[wordEnd]
	if c != '@' && c != '/' && !(c == '.' && wordEnd+1 < len(src) && isWordRune(rune(src[wordEnd+1]))) {
		return false
	}
	end := wordEnd
	for end < len(src) {
		r, n := utf8.DecodeRuneInString(src[end:])
		if r == utf8.RuneError && n == 1 || r == ' ' || r == '\t' || r == '\r' || r == '\n' || strings.ContainsRune(`,;]}{["`, r) {
			break
		}
		end += n
	}
	// A final dot ends the sentence, not the value.
	for end > wordEnd && src[end-1] == '.' {
		end--
	}
	v := src[start:end]
	msg, what := "unquoted value %s", "put it between double quotes: %s"
	if strings.Contains(v, "@") {
		msg, what = "unquoted address %s", "put the address between double quotes: %s"
	}
	s.report(rules.CodeSyntax, s.rng(start, end), fmt.Sprintf(what, quote(v)), msg, v)
	s.off = end
	s.emitAs(tString, start, end, v)
	return true
}

// emitAs emits a token whose source text stands for val, written the
// language's way: raw is val, the range is the source's.
func (s *scanner) emitAs(kind tokKind, from, to int, val string) {
	s.emit(kind, from, to, val)
	t := &s.toks[len(s.toks)-1]
	t.raw = val
	if kind == tString {
		t.raw = quote(val)
	}
}
