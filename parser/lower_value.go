package parser

import (
	"errors"
	"fmt"
	"math"
	"regexp/syntax"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // time zones must resolve on a machine without a zone database

	"github.com/tamis-mss/tamis/rules"
)

// The checks of values: the grammar knows a date token, lowering knows
// whether the day exists.

// isTainted reports whether the literal already has a lexical error (bad
// escape, invalid UTF-8…): checking its value would report a consequence.
func (r *reader) isTainted(lit rules.Literal) bool { return r.tainted[lit.Range.Start.Offset] }

func (r *reader) nonEmpty(lit rules.Literal, what string) bool {
	if r.isTainted(lit) {
		return false
	}
	if strings.TrimSpace(lit.Value) == "" {
		r.report(rules.CodeInvalidValue, lit.Range, fmt.Sprintf("write the %s between the quotes", what), "empty %s", what)
		return false
	}
	return true
}

// knownZones caches the zone names that time.LoadLocation accepted: loading
// one reads and parses the embedded database.
var knownZones sync.Map

func (r *reader) checkZone(lit rules.Literal) bool {
	if _, ok := knownZones.Load(lit.Value); ok {
		return true
	}
	if lit.Value != "" && lit.Value != "Local" {
		if _, err := time.LoadLocation(lit.Value); err == nil {
			knownZones.Store(lit.Value, true)
			return true
		}
	}
	hint := `use an IANA name such as "Europe/Paris"`
	if s := suggest(lit.Value, zoneSuggestions, true); s != "" {
		hint = fmt.Sprintf("did you mean %q?", s)
	}
	r.report(rules.CodeUnknownTimezone, lit.Range, hint, "unknown time zone %q", lit.Value)
	return false
}

// headerNames checks header field names: printable ASCII without ":".
func (r *reader) headerNames(names []rules.Literal) bool {
	ok := true
	for _, n := range names {
		if r.isTainted(n) {
			ok = false
			continue
		}
		if n.Value == "" || strings.ContainsFunc(n.Value, func(c rune) bool { return c <= ' ' || c > '~' || c == ':' }) {
			r.report(rules.CodeInvalidValue, n.Range, `a header name is ASCII without spaces or ":", as in "X-MSS-MES"`,
				"invalid header name %s", quote(n.Value))
			ok = false
		}
	}
	return ok
}

// flags checks IMAP flags: one word each.
func (r *reader) flags(flags []rules.Literal) bool {
	ok := true
	for _, f := range flags {
		if r.isTainted(f) {
			ok = false
			continue
		}
		if f.Value == "" || strings.ContainsFunc(f.Value, func(c rune) bool {
			return c <= ' ' || c == 0x7f || strings.ContainsRune(`(){%*"]`, c)
		}) {
			r.report(rules.CodeInvalidValue, f.Range, `a flag is one word, as in "\\Flagged" or "$Label"`, "invalid flag %s", quote(f.Value))
			ok = false
		}
	}
	return ok
}

// window builds "from BOUND [until BOUND]" or "until BOUND", checking both
// bounds even when the first one is wrong.
func (r *reader) window(n *window, rng rules.Range) (rules.Window, bool) {
	w := rules.Window{Node: rules.Node{Range: rng}}
	ok := true
	if n.From != nil {
		b, bOK := r.bound(n.From)
		w.From, ok = &b, bOK
	}
	if n.Until != nil {
		b, bOK := r.bound(n.Until)
		w.Until, ok = &b, ok && bOK
	}
	return w, ok && r.checkOrder(w.From, w.Until)
}

// checkOrder reports a window that ends before (or when) it starts.
func (r *reader) checkOrder(from, until *rules.Bound) bool {
	if from == nil || until == nil || until.EndIn(time.UTC).After(from.StartIn(time.UTC)) {
		return true
	}
	r.report(rules.CodeWindowOrder, until.Range, "swap the two bounds, or check the years",
		"the window ends (%s) before it starts (%s)", until, from)
	return false
}

// bound builds DATE [TIME], checking both.
func (r *reader) bound(n *bound) (rules.Bound, bool) {
	last := n.Date
	if n.Time != nil {
		last = *n.Time
	}
	b := rules.Bound{Node: rules.Node{Range: r.between(r.tok(n.Date.Pos), r.tok(last.Pos))}}
	d, ok := r.date(r.tok(n.Date.Pos))
	b.Date = d
	if n.Time != nil {
		c, cOK := r.clock(r.tok(n.Time.Pos), 0, n.Time.Value, false)
		b.Time, b.HasTime, ok = c, true, ok && cOK
	}
	return b, ok
}

// date decodes a YYYY-MM-DD token.
func (r *reader) date(t *token) (rules.Date, bool) {
	parts := strings.Split(t.raw, "-")
	if len(parts) != 3 || len(parts[0]) != 4 || len(parts[1]) != 2 || len(parts[2]) != 2 {
		hint := "write dates as YYYY-MM-DD, as in 2025-12-20"
		if len(parts) == 3 && len(parts[0]) <= 2 && len(parts[1]) <= 2 && len(parts[2]) == 4 {
			// 14-07-2025: day first, as in France.
			hint = fmt.Sprintf("dates are written YYYY-MM-DD: %s-%s-%s", parts[2], pad2(parts[1]), pad2(parts[0]))
		}
		r.report(rules.CodeInvalidDate, r.rangeOf(t), hint, "malformed date %s", t.raw)
		return rules.Date{}, false
	}
	y, _ := strconv.Atoi(parts[0])
	m, _ := strconv.Atoi(parts[1])
	d, _ := strconv.Atoi(parts[2])
	date := rules.Date{Year: y, Month: time.Month(m), Day: d}
	if !date.IsValid() {
		hint := "months run from 01 to 12"
		if m >= 1 && m <= 12 && y >= 1 {
			days := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
			hint = fmt.Sprintf("%s %d has %d days", time.Month(m), y, days)
		}
		r.report(rules.CodeInvalidDate, r.rangeOf(t), hint, "%s is not a date", t.raw)
		return date, false
	}
	return date, true
}

// clock decodes the time at byte off of token t, text long (all of the
// token, or a part of an hours token); endOfDay allows 24:00.
func (r *reader) clock(t *token, off int, text string, endOfDay bool) (rules.Clock, bool) {
	rng := r.rangeOf(t)
	if text != t.raw {
		// A part of an ASCII token: columns and offsets move together.
		rng.Start.Column, rng.Start.Offset = rng.Start.Column+off, rng.Start.Offset+off
		rng.End.Column, rng.End.Offset = rng.Start.Column+len(text), rng.Start.Offset+len(text)
	}
	h, m, _ := strings.Cut(text, ":")
	m, sec, hasSec := strings.Cut(m, ":")
	if len(h) > 2 || len(m) != 2 || hasSec && len(sec) != 2 {
		r.report(rules.CodeInvalidDate, rng, "write times as HH:MM, as in 08:30 (HH:MM:SS in a window bound)", "malformed time %s", text)
		return rules.Clock{}, false
	}
	if hasSec && t.kind == tHours {
		r.report(rules.CodeInvalidDate, rng, "write weekly hours to the minute, as in 08:30-12:00", "seconds in weekly hours: %s", text)
		return rules.Clock{}, false
	}
	hh, _ := strconv.Atoi(h)
	mm, _ := strconv.Atoi(m)
	ss, _ := strconv.Atoi(sec)
	c := rules.Clock{Hour: hh, Minute: mm, Second: ss}
	if !c.IsValid(endOfDay) {
		hint := "times run from 00:00 to 23:59 (23:59:59 with seconds)"
		if endOfDay {
			hint = "times run from 00:00 to 24:00"
		}
		r.report(rules.CodeInvalidDate, rng, hint, "%s is not a time of day", text)
		return c, false
	}
	return c, true
}

// hours decodes an HH:MM-HH:MM token, checking both times.
func (r *reader) hours(t *token) (start, end rules.Clock, startOK, endOK bool) {
	a, b, _ := strings.Cut(t.raw, "-")
	start, startOK = r.clock(t, 0, a, false)
	end, endOK = r.clock(t, len(a)+1, b, true)
	return start, end, startOK, endOK
}

// period builds "every N UNIT".
func (r *reader) period(n *period, rng rules.Range) (rules.Period, bool) {
	p := rules.Period{Node: rules.Node{Range: rng}}
	num := r.tok(n.Amount.Pos)
	unit := units[n.Unit.Value]
	if digits := num.raw[:skipDigits(num.raw, 0)]; digits != num.raw {
		r.report(rules.CodeInvalidValue, r.rangeOf(num), fmt.Sprintf("put a space between the number and the unit: every %s %s", digits, unitWord(num.raw[len(digits):])),
			"malformed number %s", num.raw)
		return p, false
	}
	amount, err := strconv.ParseInt(num.raw, 10, 64)
	if err != nil || amount > math.MaxInt64/int64(unit.Duration()) {
		r.report(rules.CodeOverflow, r.rangeOf(num), "periods are limited to about 292 years", "period %s %s is too long", num.raw, unit)
		return p, false
	}
	if amount == 0 {
		r.report(rules.CodeInvalidValue, r.rangeOf(num), fmt.Sprintf("a period is at least 1 %s", strings.TrimSuffix(unit.String(), "s")), "zero period")
		return p, false
	}
	p.Amount, p.Unit = amount, unit
	return p, true
}

// size decodes a size token: digits with an optional K, M or G suffix.
func (r *reader) size(t *token) (int64, bool) {
	digits := t.raw[:skipDigits(t.raw, 0)]
	suffix := t.raw[len(digits):]
	mult, ok := sizeSuffixes[suffix]
	if !ok {
		hint := "sizes take a K, M or G suffix (×1024), as in 25M"
		if s := strings.ToUpper(suffix[:1]); strings.Contains("KMG", s) {
			hint = fmt.Sprintf("did you mean %s%s?", digits, s)
		}
		r.report(rules.CodeInvalidValue, r.rangeOf(t), hint, "unknown size unit %q", suffix)
		return 0, false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n > math.MaxInt64/mult {
		r.report(rules.CodeOverflow, r.rangeOf(t), "sizes are limited to 8 EiB; a message is never that large", "size %s is too large", t.raw)
		return 0, false
	}
	return n * mult, true
}

// days decodes "mon" or "mon-fri" (wrapping: "fri-mon" is fri, sat, sun, mon).
func (r *reader) days(t *token) (rules.Weekdays, bool) {
	first, last, isRange := strings.Cut(t.raw, "-")
	if !isRange {
		last = first
	}
	d1, ok1 := dayIndex(first)
	d2, ok2 := dayIndex(last)
	if !ok1 || !ok2 || strings.Contains(last, "-") {
		bad := first
		if ok1 {
			bad = last
		}
		hint := "days are mon, tue, wed, thu, fri, sat and sun; a range is written mon-fri, a list mon+wed"
		if en := englishDays(t.raw); en != "" {
			hint = fmt.Sprintf("days are written in English: %s", en)
		} else if en, ok := frenchDays[strings.ToLower(bad)]; ok {
			hint = fmt.Sprintf("days are written in English: %s", en)
		} else if s := suggest(bad, dayNames, false); s != "" {
			hint = fmt.Sprintf("did you mean %q?", s)
		}
		r.report(rules.CodeInvalidValue, r.rangeOf(t), hint, "unknown day %q", bad)
		return 0, false
	}
	var days rules.Weekdays
	for d := d1; ; d = (d + 1) % 7 {
		days = days.With(d)
		if d == d2 {
			break
		}
	}
	return days, true
}

func dayIndex(s string) (time.Weekday, bool) {
	for i, d := range dayNames {
		if d == s {
			return time.Weekday(i), true
		}
	}
	return 0, false
}

// regexHint suggests a fix for an RE2 error.
func regexHint(err error) string {
	var serr *syntax.Error
	if errors.As(err, &serr) {
		switch serr.Code {
		case syntax.ErrInvalidPerlOp, syntax.ErrInvalidNamedCapture, syntax.ErrInvalidEscape:
			return "RE2 has no lookaround, backreferences or possessive forms; see https://github.com/google/re2/wiki/Syntax"
		case syntax.ErrMissingParen, syntax.ErrUnexpectedParen, syntax.ErrMissingBracket:
			return `balance the brackets, or escape a literal one: "\\(" in the policy string`
		case syntax.ErrMissingRepeatArgument:
			return `a repetition (*, +, ?, {n}) needs something before it; escape a literal one: "\\*"`
		case syntax.ErrInvalidRepeatOp:
			return `a repetition cannot follow another; escape a literal one: "\\*"`
		case syntax.ErrInvalidRepeatSize:
			return "repetition counts are at most 1000"
		}
	}
	return "see https://github.com/google/re2/wiki/Syntax; for a plain substring use contains"
}
