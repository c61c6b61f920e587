package parser

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tamis-mss/tamis/rules"
)

// bodyResult is the decoded content of a rule or vacation block.
type bodyResult struct {
	windows []rules.Window
	when    rules.Condition
	whenAt  rules.Range
	reply   *rules.Reply
	actions []rules.Action
	// replySeen is set by any reply line, even one with an error, so that
	// its absence is not reported as well.
	replySeen bool

	subject, from, handle *rules.Literal
	period                *rules.Period
	settingAt             []setting // every reply setting, for the "without reply" check

	vacation bool // an absence block, not a rule
}

// kind names the block in messages.
func (b *bodyResult) kind() string {
	if b.vacation {
		return "absence block"
	}
	return "rule"
}

type setting struct {
	keyword string
	rng     rules.Range
}

// body decodes the items of a rule (vacation false) or absence block.
func (l *lowerer) body(blk *block, vacation bool) bodyResult {
	b := bodyResult{vacation: vacation}
	phrases := rulePhrases
	if vacation {
		phrases = vacationPhrases
	}
	for _, n := range blk.items {
		it, ok := l.item(n)
		if !ok {
			continue
		}
		if len(it.atoms) == 0 {
			l.report(rules.CodeSyntax, it.rng, "use all { … } or any { … } after when to group conditions",
				"unexpected block")
			continue
		}
		kw := it.atoms[0].word()
		if f := itemForms.find(kw); f != nil {
			f.decode(l, &b, it)
		} else if f := settingForms.find(kw); f != nil {
			f.decode(l, &b, it)
		} else if f := actionForms.find(kw); f != nil {
			if a := f.decode(l, f.phrase, it, rules.Node{Range: it.rng}); a != nil {
				b.actions = append(b.actions, a)
			}
		} else if topForms.find(kw) != nil {
			l.report(rules.CodeMisplaced, l.rangeOf(it.atoms[0]), "move it out of the block, to the top level of the file",
				"%s inside a %s", kw, b.kind())
		} else if condForms.find(kw) != nil {
			l.needWhen(it)
		} else {
			l.unknown(it, phrases, "in a "+b.kind())
		}
	}
	if b.reply == nil && !b.replySeen {
		for _, s := range b.settingAt {
			l.report(rules.CodeMisplaced, s.rng, `add reply "…", or remove this line`,
				"%s applies to a reply, and this %s has none", s.keyword, b.kind())
		}
	} else if b.reply != nil {
		b.reply.Subject, b.reply.From, b.reply.Period, b.reply.Handle = b.subject, b.from, b.period, b.handle
	}
	l.checkReject(&b, vacation)
	return b
}

// bodyWhen decodes "when COND".
func (l *lowerer) bodyWhen(b *bodyResult, it item) {
	if b.when != nil || b.whenAt.IsValid() {
		l.report(rules.CodeDuplicateDirective, l.rangeOf(it.atoms[0]),
			fmt.Sprintf("the condition is already given at line %d; combine them with all { … } or any { … }", b.whenAt.Start.Line),
			"second when in one %s", b.kind())
		return
	}
	b.whenAt = it.rng
	if len(it.atoms) < 2 {
		l.expected(it, 1, "a condition")
		return
	}
	b.when = l.cond(it.atoms[1:], it.block, 1)
}

// bodyWindow decodes an absence window ("from DATE …", "until DATE …"); a
// from or until without a date is a condition written without when.
func (l *lowerer) bodyWindow(b *bodyResult, it item) {
	if len(it.atoms) < 2 || it.atoms[1].tok == nil || it.atoms[1].tok.kind != tDate {
		l.needWhen(it)
		return
	}
	if !b.vacation {
		l.report(rules.CodeMisplaced, it.rng,
			`absence windows belong in vacation blocks; in a rule write when between DATE and DATE`,
			"absence window in a rule")
		return
	}
	if w, ok := l.window(it); ok {
		b.windows = append(b.windows, w)
	}
}

// bodyReply decodes "reply STRING".
func (l *lowerer) bodyReply(b *bodyResult, it item) {
	b.replySeen = true
	lit, ok := l.oneString(it, "the text of the reply")
	if !ok {
		return
	}
	if strings.TrimSpace(lit.Value) == "" && !l.isTainted(lit) {
		l.report(rules.CodeEmptyReply, lit.Range, "write the text of the reply between the quotes", "empty reply text")
		return
	}
	if b.reply != nil {
		l.report(rules.CodeDuplicateDirective, l.rangeOf(it.atoms[0]),
			fmt.Sprintf("the reply is already given at line %d; a %s sends at most one reply", b.reply.Range.Start.Line, b.kind()),
			"second reply in one %s", b.kind())
		return
	}
	b.reply = &rules.Reply{Node: rules.Node{Range: it.rng}, Text: lit}
	if !b.vacation {
		b.actions = append(b.actions, b.reply)
	}
}

// settingSubject decodes "subject STRING"; subject followed by a word is a
// condition written without when.
func (l *lowerer) settingSubject(b *bodyResult, it item) {
	if len(it.atoms) > 1 && it.atoms[1].word() != "" {
		l.needWhen(it)
		return
	}
	l.literalSetting(b, it, &b.subject, "the subject of the reply")
}

// settingFrom decodes "reply-from STRING".
func (l *lowerer) settingFrom(b *bodyResult, it item) {
	if lit := l.literalSetting(b, it, &b.from, "the From address of the reply"); lit != nil {
		if !l.nonEmpty(*lit, "address") {
			b.from = nil
		}
	}
}

// settingHandle decodes "handle STRING".
func (l *lowerer) settingHandle(b *bodyResult, it item) {
	if lit := l.literalSetting(b, it, &b.handle, "the name of the reply"); lit != nil {
		if !l.nonEmpty(*lit, "handle") {
			b.handle = nil
		}
	}
}

// settingEvery decodes "every NUMBER UNIT".
func (l *lowerer) settingEvery(b *bodyResult, it item) {
	if b.period != nil {
		l.duplicateSetting(it, b.period.Range)
		return
	}
	b.settingAt = append(b.settingAt, setting{"every", l.rangeOf(it.atoms[0])})
	if p, ok := l.period(it); ok {
		b.period = &p
	}
}

func (l *lowerer) needWhen(it item) {
	l.report(rules.CodeSyntax, l.rangeOf(it.atoms[0]), fmt.Sprintf("write when %s …", it.atoms[0].word()),
		"a condition must follow when")
}

func (l *lowerer) duplicateSetting(it item, first rules.Range) {
	l.report(rules.CodeDuplicateDirective, l.rangeOf(it.atoms[0]),
		fmt.Sprintf("it is already set at line %d", first.Start.Line), "second %s line", it.atoms[0].word())
}

// literalSetting decodes a "KEYWORD STRING" reply setting into *dst.
func (l *lowerer) literalSetting(b *bodyResult, it item, dst **rules.Literal, what string) *rules.Literal {
	if *dst != nil {
		l.duplicateSetting(it, (*dst).Range)
		return nil
	}
	b.settingAt = append(b.settingAt, setting{it.atoms[0].word(), l.rangeOf(it.atoms[0])})
	lit, ok := l.oneString(it, what)
	if !ok {
		return nil
	}
	*dst = &lit
	return *dst
}

// checkReject reports reject combined with keep, file into or a reply.
func (l *lowerer) checkReject(b *bodyResult, vacation bool) {
	var reject *rules.Reject
	for _, a := range b.actions {
		if r, ok := a.(*rules.Reject); ok {
			reject = r
			break
		}
	}
	if reject == nil {
		return
	}
	if vacation {
		l.report(rules.CodeRejectConflict, reject.Range, "use discard to drop mail during the absence",
			"reject cannot be combined with the absence reply")
		return
	}
	hint := fmt.Sprintf("reject at line %d already refuses the message; remove one of them", reject.Range.Start.Line)
	for _, a := range b.actions {
		name := ""
		switch a.(type) {
		case *rules.Keep:
			name = "keep"
		case *rules.FileInto:
			name = "file into"
		case *rules.Reply:
			name = "reply"
		default:
			continue
		}
		l.report(rules.CodeRejectConflict, a.Source(), hint, "reject cannot be combined with %s in one rule", name)
	}
}

// actionWord decodes the actions without argument: keep, discard, stop.
func (l *lowerer) actionWord(phrase string, it item, node rules.Node) rules.Action {
	if !l.noMore(it, 1) {
		return nil
	}
	switch phrase {
	case "keep":
		return &rules.Keep{Node: node}
	case "discard":
		return &rules.Discard{Node: node}
	}
	return &rules.Stop{Node: node}
}

// actionReject decodes "reject STRING".
func (l *lowerer) actionReject(_ string, it item, node rules.Node) rules.Action {
	lit, ok := l.oneString(it, "the reason")
	if !ok {
		return nil
	}
	return &rules.Reject{Node: node, Reason: lit}
}

// actionTarget decodes "reroute to STRING", "copy to STRING" and "file
// into STRING": the second word is the phrase's.
func (l *lowerer) actionTarget(phrase string, it item, node rules.Node) rules.Action {
	as := it.atoms
	kw, second, _ := strings.Cut(phrase, " ")
	if len(as) < 2 || as[1].word() != second {
		if len(as) >= 2 && as[1].word() != "" {
			l.report(rules.CodeUnknownKeyword, l.rangeOf(as[1]), fmt.Sprintf("did you mean %q?", phrase),
				"unknown keyword %q after %s", as[1].word(), kw)
			return nil
		}
		l.expected(it, 1, fmt.Sprintf("%q", second))
		return nil
	}
	what := "the address"
	if kw == "file" {
		what = "the folder"
	}
	if len(as) < 3 || !as[2].isString() {
		l.expectedHint(it, 2, what+" in quotes", "write it as: "+usage[kw])
		return nil
	}
	rest := item{atoms: as[1:], block: it.block, rng: it.rng}
	lit, ok := l.oneString(rest, what)
	if !ok {
		return nil
	}
	switch kw {
	case "reroute":
		if l.nonEmpty(lit, "address") {
			return &rules.Reroute{Node: node, Target: lit}
		}
	case "copy":
		if l.nonEmpty(lit, "address") {
			return &rules.Copy{Node: node, Target: lit}
		}
	default:
		if l.nonEmpty(lit, "folder name") {
			return &rules.FileInto{Node: node, Folder: lit}
		}
	}
	return nil
}

// actionFlag decodes "flag STRING" and "flag LIST".
func (l *lowerer) actionFlag(_ string, it item, node rules.Node) rules.Action {
	lits, ok := l.strings(it, 1, "a flag or a list of flags")
	if !ok {
		return nil
	}
	for _, f := range lits {
		if l.isTainted(f) {
			ok = false
			continue
		}
		if f.Value == "" || strings.ContainsFunc(f.Value, func(r rune) bool {
			return r <= ' ' || r == 0x7f || strings.ContainsRune(`(){%*"]`, r)
		}) {
			l.report(rules.CodeInvalidValue, f.Range, `a flag is one word, as in "\\Flagged" or "$Label"`,
				"invalid flag %s", quote(f.Value))
			ok = false
		}
	}
	if !ok {
		return nil
	}
	return &rules.Flag{Node: node, Flags: lits}
}

// window decodes "from BOUND [until BOUND]" or "until BOUND". Both bounds
// are checked, even when the first one is wrong.
func (l *lowerer) window(it item) (rules.Window, bool) {
	w := rules.Window{Node: rules.Node{Range: it.rng}}
	ok := true
	i := 0
	if it.atoms[0].word() == "from" {
		b, n, bOK := l.bound(it, 1)
		if n == 1 {
			return w, false
		}
		w.From, i, ok = &b, n, bOK
	}
	if i < len(it.atoms) && it.atoms[i].word() == "until" || i == 0 {
		b, n, bOK := l.bound(it, i+1)
		if n == i+1 {
			return w, false
		}
		w.Until, i, ok = &b, n, ok && bOK
	}
	if !l.noMore(it, i) || !ok {
		return w, false
	}
	return w, l.checkOrder(w.From, w.Until)
}

// checkOrder reports a window that ends before (or when) it starts.
func (l *lowerer) checkOrder(from, until *rules.Bound) bool {
	if from == nil || until == nil {
		return true
	}
	if until.EndIn(utc).After(from.StartIn(utc)) {
		return true
	}
	l.report(rules.CodeWindowOrder, until.Range, "swap the two bounds, or check the years",
		"the window ends (%s) before it starts (%s)", until, from)
	return false
}

// bound decodes DATE [TIME] at atom i and returns the index after it; the
// index is i when there is no date at i. The date and the time are both
// checked.
func (l *lowerer) bound(it item, i int) (rules.Bound, int, bool) {
	if i >= len(it.atoms) || it.atoms[i].tok == nil || it.atoms[i].tok.kind != tDate {
		hint := "write it as: from 2025-12-20 [18:00] until 2026-01-05 [08:00]"
		if it.atoms[0].word() == "between" {
			hint = "write it as: " + usage["between"]
		}
		l.expectedHint(it, i, "a date (YYYY-MM-DD)", hint)
		return rules.Bound{}, i, false
	}
	t := it.atoms[i].tok
	b := rules.Bound{Node: rules.Node{Range: rules.Range{File: l.file, Start: t.start, End: t.end}}}
	d, ok := l.date(t)
	b.Date = d
	i++
	if i < len(it.atoms) && it.atoms[i].tok != nil && it.atoms[i].tok.kind == tTime {
		tt := it.atoms[i].tok
		c, cOK := l.clock(tt, false)
		b.Time, b.HasTime = c, true
		b.Range.End = tt.end
		ok = ok && cOK
		i++
	}
	return b, i, ok
}

func (l *lowerer) tokRange(t *token) rules.Range {
	return rules.Range{File: l.file, Start: t.start, End: t.end}
}

// date decodes a YYYY-MM-DD token.
func (l *lowerer) date(t *token) (rules.Date, bool) {
	parts := strings.Split(t.raw, "-")
	if len(parts) != 3 || len(parts[0]) != 4 || len(parts[1]) != 2 || len(parts[2]) != 2 {
		l.report(rules.CodeInvalidDate, l.tokRange(t), "write dates as YYYY-MM-DD, as in 2025-12-20", "malformed date %s", t.raw)
		return rules.Date{}, false
	}
	y, _ := strconv.Atoi(parts[0])
	m, _ := strconv.Atoi(parts[1])
	d, _ := strconv.Atoi(parts[2])
	date := rules.Date{Year: y, Month: time.Month(m), Day: d}
	if !date.IsValid() {
		hint := "months run from 01 to 12"
		if m >= 1 && m <= 12 && y >= 1 {
			hint = fmt.Sprintf("%s %d has %d days", time.Month(m), y, daysIn(y, m))
		}
		l.report(rules.CodeInvalidDate, l.tokRange(t), hint, "%s is not a date", t.raw)
		return date, false
	}
	return date, true
}

// clock decodes an HH:MM token; endOfDay allows 24:00.
func (l *lowerer) clock(t *token, endOfDay bool) (rules.Clock, bool) {
	h, m, ok := strings.Cut(t.raw, ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 {
		l.report(rules.CodeInvalidDate, l.tokRange(t), "write times as HH:MM, as in 08:30", "malformed time %s", t.raw)
		return rules.Clock{}, false
	}
	hh, _ := strconv.Atoi(h)
	mm, _ := strconv.Atoi(m)
	c := rules.Clock{Hour: hh, Minute: mm}
	if !c.IsValid(endOfDay) {
		hint := "times run from 00:00 to 23:59"
		if endOfDay {
			hint = "times run from 00:00 to 24:00"
		}
		l.report(rules.CodeInvalidDate, l.tokRange(t), hint, "%s is not a time of day", t.raw)
		return c, false
	}
	return c, true
}

var units = map[string]rules.Unit{
	"day": rules.Days, "days": rules.Days, "hour": rules.Hours, "hours": rules.Hours,
	"minute": rules.Minutes, "minutes": rules.Minutes, "second": rules.Seconds, "seconds": rules.Seconds,
}

// period decodes "every N UNIT".
func (l *lowerer) period(it item) (rules.Period, bool) {
	p := rules.Period{Node: rules.Node{Range: it.rng}}
	as := it.atoms
	if len(as) < 2 || as[1].tok == nil || as[1].tok.kind != tNumber {
		l.expected(it, 1, "a number (every 7 days)")
		return p, false
	}
	num := as[1].tok
	digits := strings.TrimRight(num.raw, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
	if digits != num.raw {
		l.report(rules.CodeInvalidValue, l.tokRange(num), fmt.Sprintf("put a space between the number and the unit: every %s %s", digits, num.raw[len(digits):]),
			"malformed number %s", num.raw)
		return p, false
	}
	if len(as) < 3 || as[2].word() == "" {
		l.expected(it, 2, "a unit: days, hours, minutes or seconds")
		return p, false
	}
	unit, ok := units[as[2].word()]
	if !ok {
		hint := "the units are days, hours, minutes and seconds"
		if s := suggest(as[2].word(), []string{"days", "hours", "minutes", "seconds"}, false); s != "" {
			hint = fmt.Sprintf("did you mean %q?", s)
		}
		l.report(rules.CodeUnknownKeyword, l.rangeOf(as[2]), hint, "unknown unit %q", as[2].word())
		return p, false
	}
	if !l.noMore(it, 3) {
		return p, false
	}
	n, err := strconv.ParseInt(num.raw, 10, 64)
	if err != nil || n > math.MaxInt64/int64(unit.Duration()) {
		l.report(rules.CodeOverflow, l.tokRange(num), "periods are limited to about 292 years", "period %s %s is too long", num.raw, unit)
		return p, false
	}
	if n == 0 {
		l.report(rules.CodeInvalidValue, l.tokRange(num), "a period is at least 1 "+strings.TrimSuffix(unit.String(), "s"),
			"zero period")
		return p, false
	}
	p.Amount, p.Unit = n, unit
	return p, true
}

// sizeSuffixes are the multipliers of sizes.
var sizeSuffixes = map[string]int64{"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}

// size decodes a size token: digits with an optional K, M or G suffix.
func (l *lowerer) size(t *token) (int64, bool) {
	digits := strings.TrimRight(t.raw, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
	suffix := t.raw[len(digits):]
	mult, ok := sizeSuffixes[suffix]
	if !ok {
		hint := "sizes take a K, M or G suffix (×1024), as in 25M"
		if s := strings.ToUpper(suffix[:1]); len(suffix) > 0 && strings.Contains("KMG", s) {
			hint = fmt.Sprintf("did you mean %s%s?", digits, s)
		}
		l.report(rules.CodeInvalidValue, l.tokRange(t), hint, "unknown size unit %q", suffix)
		return 0, false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n > math.MaxInt64/mult {
		l.report(rules.CodeOverflow, l.tokRange(t), "sizes are limited to 8 EiB; a message is never that large", "size %s is too large", t.raw)
		return 0, false
	}
	return n * mult, true
}
