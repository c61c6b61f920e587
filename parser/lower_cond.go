package parser

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"time"

	"github.com/tamis-mss/tamis/rules"
)

var utc = time.UTC

func daysIn(y, m int) int { return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() }

var addressFields = map[string]rules.AddressField{
	"from": rules.FieldFrom, "to": rules.FieldTo, "cc": rules.FieldCc, "bcc": rules.FieldBcc,
	"sender": rules.FieldSender, "reply-to": rules.FieldReplyTo,
}

var envelopeFields = map[string]rules.AddressField{"from": rules.FieldEnvelopeFrom, "to": rules.FieldEnvelopeTo}

var addressParts = map[string]rules.AddressPart{"local": rules.PartLocal, "domain": rules.PartDomain}

var senderPredicates = map[string]rules.Predicate{
	"patient": rules.SenderPatient, "trusted": rules.SenderTrusted, "untrusted": rules.SenderUntrusted,
}

var messagePredicates = map[string]rules.Predicate{
	"auto-reply": rules.MessageAutoReply, "read-receipt": rules.MessageReadReceipt,
	"bounce": rules.MessageBounce, "mailing-list": rules.MessageMailingList,
}

// The words of a match besides its kind: "any" before a list of keys, and
// "case-sensitive" after the keys.
const (
	matchAny      = "any"
	caseSensitive = "case-sensitive"
)

var matchKinds = map[string]rules.MatchKind{
	"is": rules.Is, "contains": rules.Contains, "matches": rules.Matches, "regex": rules.Regex,
}

// cond decodes a condition from its atoms and optional block. It returns
// nil after reporting a problem.
func (l *lowerer) cond(as []atom, blk *block, depth int) rules.Condition {
	it := item{atoms: as, block: blk}
	it.rng = l.rangeOf(as[0])
	it.rng.End = l.rangeOf(as[len(as)-1]).End
	if blk != nil {
		it.rng.End = l.blockRange(blk).End
	}
	node := rules.Node{Range: it.rng}
	if l.opts.MaxDepth > 0 && depth > l.opts.MaxDepth {
		l.report(rules.CodeLimit, l.rangeOf(as[0]),
			fmt.Sprintf("simplify the condition, or raise the limit (MaxDepth = %d)", l.opts.MaxDepth),
			"conditions nested deeper than the limit of %d", l.opts.MaxDepth)
		return nil
	}
	if f := condForms.find(as[0].word()); f != nil {
		return f.decode(l, it, node, depth)
	}
	l.unknown(it, condPhrases, "in a condition")
	return nil
}

// condAlways decodes "always".
func (l *lowerer) condAlways(it item, node rules.Node, _ int) rules.Condition {
	if !l.noMore(it, 1) {
		return nil
	}
	return &rules.Always{Node: node}
}

// condNot decodes "not COND".
func (l *lowerer) condNot(it item, node rules.Node, depth int) rules.Condition {
	if len(it.atoms) < 2 {
		l.expected(it, 1, "a condition")
		return nil
	}
	inner := l.cond(it.atoms[1:], it.block, depth+1)
	if inner == nil {
		return nil
	}
	return &rules.Not{Node: node, Cond: inner}
}

// condGroup decodes "all { COND… }" and "any { COND… }", reading every
// condition of the block.
func (l *lowerer) condGroup(it item, node rules.Node, depth int) rules.Condition {
	as, blk := it.atoms, it.block
	kw := as[0].word()
	if len(as) > 1 {
		l.report(rules.CodeSyntax, l.rangeOf(as[1]), fmt.Sprintf("write %s { COND; COND }", kw),
			"expected { after %s, found %s", kw, l.text(as[1]))
		return nil
	}
	if blk == nil {
		l.expected(it, 1, "{")
		return nil
	}
	var conds []rules.Condition
	ok := true
	for _, n := range blk.items {
		sub, subOK := l.item(n)
		if !subOK {
			ok = false
			continue
		}
		if len(sub.atoms) == 0 {
			l.report(rules.CodeSyntax, sub.rng, "write all { … } or any { … } to group conditions",
				"a block needs all or any before it")
			ok = false
			continue
		}
		c := l.cond(sub.atoms, sub.block, depth+1)
		if c == nil {
			ok = false
			continue
		}
		conds = append(conds, c)
	}
	if !ok {
		return nil
	}
	if kw == "all" {
		return &rules.All{Node: node, Conds: conds}
	}
	return &rules.Any{Node: node, Conds: conds}
}

// condHeader decodes "subject MATCH", "header NAMES MATCH" and "body MATCH".
func (l *lowerer) condHeader(it item, node rules.Node, _ int) rules.Condition {
	as := it.atoms
	kw := as[0].word()
	i, names, namesOK := 1, []rules.Literal(nil), true
	switch kw {
	case "subject":
		names = []rules.Literal{{Value: "Subject", Range: l.rangeOf(as[0])}}
	case "header":
		var ok bool
		if names, ok = l.stringsAt(it, 1, "a header name or a list of names"); !ok {
			return nil
		}
		namesOK, i = l.headerNames(names), 2 // the match is checked too
	}
	m, ok := l.match(it, i)
	if !ok || !namesOK {
		return nil
	}
	if kw == "body" {
		return &rules.BodyTest{Node: node, Match: m}
	}
	return &rules.HeaderTest{Node: node, Names: names, Match: m}
}

// condExists decodes "exists NAMES".
func (l *lowerer) condExists(it item, node rules.Node, _ int) rules.Condition {
	names, ok := l.strings(it, 1, "a header name or a list of names")
	if !ok || !l.headerNames(names) {
		return nil
	}
	return &rules.ExistsTest{Node: node, Names: names}
}

// sizeComparisons are the words after size: true for over.
var sizeComparisons = map[string]bool{"over": true, "under": false}

// condSize decodes "size over SIZE" and "size under SIZE".
func (l *lowerer) condSize(it item, node rules.Node, _ int) rules.Condition {
	as := it.atoms
	over, known := false, false
	if len(as) >= 2 {
		over, known = sizeComparisons[as[1].word()]
	}
	if !known {
		l.expected(it, 1, "over or under")
		return nil
	}
	if len(as) < 3 || as[2].tok == nil || as[2].tok.kind != tNumber {
		l.expected(it, 2, "a size (25M)")
		return nil
	}
	n, ok := l.size(as[2].tok)
	if !ok || !l.noMore(it, 3) {
		return nil
	}
	return &rules.SizeTest{Node: node, Over: over, Limit: n}
}

// condMessage decodes "message is PREDICATE".
func (l *lowerer) condMessage(it item, node rules.Node, _ int) rules.Condition {
	if len(it.atoms) < 2 || it.atoms[1].word() != "is" {
		l.expected(it, 1, "is")
		return nil
	}
	return l.predicate(it, node, messagePredicates, "auto-reply, read-receipt, bounce or mailing-list")
}

// condDuring decodes "during SPAN, …".
func (l *lowerer) condDuring(it item, node rules.Node, _ int) rules.Condition {
	return l.during(it, node)
}

// condBetween decodes "between BOUND and BOUND", checking both bounds.
func (l *lowerer) condBetween(it item, node rules.Node, _ int) rules.Condition {
	as := it.atoms
	from, i, fromOK := l.bound(it, 1)
	if i == 1 {
		return nil
	}
	if i >= len(as) || as[i].word() != "and" {
		l.expected(it, i, "and")
		return nil
	}
	until, n, untilOK := l.bound(it, i+1)
	if n == i+1 || !l.noMore(it, n) || !fromOK || !untilOK || !l.checkOrder(&from, &until) {
		return nil
	}
	w := rules.Window{Node: rules.Node{Range: l.span(from.Range, until.Range)}, From: &from, Until: &until}
	return &rules.BetweenTest{Node: node, Window: w}
}

// headerNames checks header field names: printable ASCII without ":".
func (l *lowerer) headerNames(names []rules.Literal) bool {
	ok := true
	for _, n := range names {
		if l.isTainted(n) {
			ok = false
			continue
		}
		if n.Value == "" || strings.ContainsFunc(n.Value, func(r rune) bool { return r <= ' ' || r > '~' || r == ':' }) {
			l.report(rules.CodeInvalidValue, n.Range, `a header name is ASCII without spaces or ":", as in "X-MSS-MES"`,
				"invalid header name %s", quote(n.Value))
			ok = false
		}
	}
	return ok
}

// addressTest decodes "FIELD [PART] MATCH", "envelope from|to [PART]
// MATCH", "address NAMES [PART] MATCH" and "sender is PREDICATE".
func (l *lowerer) addressTest(it item, node rules.Node, _ int) rules.Condition {
	as := it.atoms
	t := &rules.AddressTest{Node: node}
	i, namesOK := 1, true
	switch kw := as[0].word(); kw {
	case "envelope":
		f, ok := envelopeFields[as[min(1, len(as)-1)].word()]
		if !ok || len(as) < 2 {
			l.expected(it, 1, "from or to")
			return nil
		}
		t.Field = f
		i = 2
	case "address":
		names, ok := l.stringsAt(it, 1, "a header name or a list of names")
		if !ok {
			return nil
		}
		namesOK = l.headerNames(names) // the match is checked too
		t.Field, t.Headers, i = rules.FieldHeader, names, 2
	default:
		if kw == "sender" && len(as) > 2 && as[1].word() == "is" && as[2].word() != "" {
			return l.predicate(it, node, senderPredicates, "patient, trusted or untrusted")
		}
		t.Field = addressFields[kw]
	}
	if i < len(as) {
		if p, ok := addressParts[as[i].word()]; ok {
			t.Part, i = p, i+1
		}
	}
	m, ok := l.match(it, i)
	if !ok || !namesOK {
		return nil
	}
	t.Match = m
	return t
}

// predicate decodes "sender is WORD" or "message is WORD" (atoms 0..2).
func (l *lowerer) predicate(it item, node rules.Node, table map[string]rules.Predicate, known string) rules.Condition {
	if len(it.atoms) < 3 || it.atoms[2].word() == "" {
		l.expected(it, 2, known)
		return nil
	}
	w := it.atoms[2].word()
	p, ok := table[w]
	if !ok {
		hint := "expected " + known
		if s := suggest(w, mapKeys(table), false); s != "" {
			hint = fmt.Sprintf("did you mean %q?", s)
		}
		l.report(rules.CodeUnknownKeyword, l.rangeOf(it.atoms[2]), hint, "unknown keyword %q", w)
		return nil
	}
	if !l.noMore(it, 3) {
		return nil
	}
	return &rules.PredicateTest{Node: node, Predicate: p}
}

// match decodes "KIND VALUE [case-sensitive]" from atom i to the end.
func (l *lowerer) match(it item, i int) (rules.Match, bool) {
	var m rules.Match
	as := it.atoms
	if i >= len(as) || as[i].word() == "" {
		l.expected(it, i, "is, contains, matches or regex")
		return m, false
	}
	kind, ok := matchKinds[as[i].word()]
	if !ok {
		hint := "expected is, contains, matches or regex"
		if s := suggest(as[i].word(), []string{"is", "contains", "matches", "regex", "local", "domain"}, false); s != "" {
			hint = fmt.Sprintf("did you mean %q?", s)
		}
		l.report(rules.CodeUnknownKeyword, l.rangeOf(as[i]), hint, "unknown keyword %q", as[i].word())
		return m, false
	}
	m.Kind = kind
	i++
	if i < len(as) && as[i].word() == matchAny {
		i++
		if i >= len(as) || as[i].list == nil {
			l.expected(it, i, `a list after any (["a", "b"])`)
			return m, false
		}
	}
	keys, ok := l.stringsAt(it, i, "a string or a list of strings")
	if !ok {
		return m, false
	}
	m.Keys = keys
	i++
	if i < len(as) && as[i].word() != "" {
		if as[i].word() != caseSensitive {
			hint := fmt.Sprintf("the only word allowed after the value is %q", caseSensitive)
			if suggest(as[i].word(), []string{caseSensitive}, false) != "" {
				hint = fmt.Sprintf("did you mean %q?", caseSensitive)
			}
			l.report(rules.CodeUnknownKeyword, l.rangeOf(as[i]), hint, "unknown keyword %q", as[i].word())
			return m, false
		}
		m.CaseSensitive = true
		i++
	}
	if !l.noMore(it, i) {
		return m, false
	}
	if kind == rules.Regex {
		for _, k := range keys {
			if l.isTainted(k) {
				ok = false
				continue
			}
			if _, err := regexp.Compile(k.Value); err != nil {
				msg := strings.TrimPrefix(err.Error(), "error parsing regexp: ")
				l.report(rules.CodeInvalidRegex, k.Range, regexHint(err), "invalid regex: %s", msg)
				ok = false
			}
		}
	}
	return m, ok
}

// frenchDays maps French day abbreviations to the keywords, for hints.
var frenchDays = map[string]string{
	"lun": "mon", "mar": "tue", "mer": "wed", "jeu": "thu", "ven": "fri", "sam": "sat", "dim": "sun",
	"lundi": "mon", "mardi": "tue", "mercredi": "wed", "jeudi": "thu", "vendredi": "fri", "samedi": "sat", "dimanche": "sun",
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

var dayNames = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func dayIndex(s string) (time.Weekday, bool) {
	for i, d := range dayNames {
		if d == s {
			return time.Weekday(i), true
		}
	}
	return 0, false
}

// during decodes "during DAYS HH:MM-HH:MM[, DAYS HH:MM-HH:MM…]". It reads
// every span, reporting each bad day and time; after a span it cannot make
// out, it resumes at the next comma.
func (l *lowerer) during(it item, node rules.Node) rules.Condition {
	as := it.atoms
	t := &rules.DuringTest{Node: node}
	ok := true
	i := 1
	for {
		if next, spanOK := l.weeklySpan(it, i, t); spanOK {
			i = next
		} else {
			ok = false
			if next < 0 {
				// Not a span: resume after the next comma, if any.
				for i++; i < len(as) && !as[i].isPunct(","); i++ {
				}
			} else {
				i = next
			}
		}
		if i < len(as) && as[i].isPunct(",") {
			i++
			continue
		}
		break
	}
	if !ok {
		return nil
	}
	if !l.noMore(it, i) {
		return nil
	}
	return t
}

// weeklySpan decodes "DAYS HH:MM-HH:MM" at atom i and appends it to t. It
// returns the index after the span and whether it is valid; the index is
// negative when the atoms are not a span (a problem of form, reported).
func (l *lowerer) weeklySpan(it item, i int, t *rules.DuringTest) (int, bool) {
	as := it.atoms
	var span rules.WeeklySpan
	if i >= len(as) || as[i].word() == "" {
		l.expected(it, i, "days (mon-fri)")
		return -1, false
	}
	ok := true
	start := l.rangeOf(as[i])
	for {
		if days, dayOK := l.days(as[i]); dayOK {
			span.Days |= days
		} else {
			ok = false
		}
		i++
		if i+1 < len(as) && as[i].isPunct("+") && as[i+1].word() != "" {
			i++
			continue
		}
		break
	}
	if i+2 >= len(as) || as[i].tok == nil || as[i].tok.kind != tTime || !as[i+1].isPunct("-") ||
		as[i+2].tok == nil || as[i+2].tok.kind != tTime {
		l.expected(it, i, "hours (08:00-19:00)")
		return -1, false
	}
	s, ok1 := l.clock(as[i].tok, false)
	e, ok2 := l.clock(as[i+2].tok, true)
	if !ok || !ok1 || !ok2 {
		return i + 3, false
	}
	span.Start, span.End = s, e
	span.Range = l.span(start, l.rangeOf(as[i+2]))
	t.Spans = append(t.Spans, span)
	return i + 3, true
}

// days decodes "mon" or "mon-fri" (wrapping: "fri-mon" is fri, sat, sun, mon).
func (l *lowerer) days(a atom) (rules.Weekdays, bool) {
	w := a.word()
	first, last, isRange := strings.Cut(w, "-")
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
		if en, ok := frenchDays[strings.ToLower(bad)]; ok {
			hint = fmt.Sprintf("days are written in English: %s", en)
		} else if s := suggest(bad, dayNames, false); s != "" {
			hint = fmt.Sprintf("did you mean %q?", s)
		}
		l.report(rules.CodeInvalidValue, l.rangeOf(a), hint, "unknown day %q", bad)
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

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
