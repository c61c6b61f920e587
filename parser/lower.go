package parser

import (
	"fmt"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // time zones must resolve on a machine without a zone database

	"github.com/tamis-mss/tamis/rules"
)

// lowerer builds a rules.Policy from the parse tree, collecting every
// problem it finds.
type lowerer struct {
	file  string
	opts  Options
	toks  []token
	diags rules.Diagnostics
	p     *rules.Policy

	names      map[string]rules.Range // statement names seen, for duplicates
	tainted    map[int]bool           // offsets of strings with a lexical error: their value is not checked
	strayLines map[int]bool           // lines with a stray character
	mailboxAt  *rules.Range
	timezoneAt *rules.Range
	limitHit   bool
	btoks      []*token // backing array of the balanced tokens of all chunks
}

func (l *lowerer) report(code rules.Code, r rules.Range, hint, format string, args ...any) {
	if l.strayLines[r.Start.Line] && (code == rules.CodeSyntax || code == rules.CodeUnknownKeyword) {
		return // a consequence of the stray character already reported on this line
	}
	l.diags = append(l.diags, rules.Diagnostic{
		Severity: rules.Error, Code: code, Message: fmt.Sprintf(format, args...), Range: r, Hint: hint,
	})
}

// atom is one element of an item: a token or a list.
type atom struct {
	tok  *token
	list *list
}

type list struct {
	items []*token
	rng   rules.Range
}

func (a atom) word() string {
	if a.tok != nil && a.tok.kind == tWord {
		return a.tok.raw
	}
	return ""
}

func (a atom) isPunct(p string) bool { return a.tok != nil && a.tok.kind == tPunct && a.tok.raw == p }

func (a atom) isString() bool { return a.tok != nil && (a.tok.kind == tString || a.tok.kind == tText) }

func (l *lowerer) rangeOf(a atom) rules.Range {
	if a.list != nil {
		return a.list.rng
	}
	return rules.Range{File: l.file, Start: a.tok.start, End: a.tok.end}
}

func (l *lowerer) span(from, to rules.Range) rules.Range {
	return rules.Range{File: l.file, Start: from.Start, End: to.End}
}

func (l *lowerer) lit(t *token) rules.Literal {
	return rules.Literal{Value: t.val, Range: rules.Range{File: l.file, Start: t.start, End: t.end}}
}

// item is a decoded node: its atoms (lists grouped), its block and its range.
type item struct {
	atoms []atom
	block *block
	rng   rules.Range
}

func (l *lowerer) item(n *node) (item, bool) {
	it := item{block: n.block, atoms: make([]atom, 0, len(n.atoms))}
	ok := true
	for i := 0; i < len(n.atoms); i++ {
		t := n.atoms[i]
		if !(t.kind == tPunct && t.raw == "[") {
			it.atoms = append(it.atoms, atom{tok: t})
			continue
		}
		// A list: values separated by commas, a trailing comma allowed.
		// balance guarantees the closing "]". Every misplaced comma or
		// missing one is reported.
		ls := &list{}
		expectValue := true
		var closing *token
		for i++; i < len(n.atoms); i++ {
			v := n.atoms[i]
			if v.kind == tPunct && v.raw == "]" {
				closing = v
				break
			}
			switch {
			case v.kind == tPunct && v.raw == ",":
				if expectValue {
					l.report(rules.CodeSyntax, l.tokRange(v), "remove the extra comma", "unexpected , in a list")
					ok = false
				}
				expectValue = true
			case v.kind == tPunct:
				l.report(rules.CodeSyntax, l.tokRange(v), `a list holds strings separated by commas, as in ["a", "b"]`,
					"unexpected %s in a list", describe(v))
				ok = false
			default:
				if !expectValue {
					l.report(rules.CodeSyntax, l.tokRange(v), "separate the items of a list with commas",
						"missing , before %s", describe(v))
					ok = false
				}
				ls.items = append(ls.items, v)
				expectValue = false
			}
		}
		ls.rng = rules.Range{File: l.file, Start: t.start, End: t.end}
		if closing != nil {
			ls.rng.End = closing.end
		}
		it.atoms = append(it.atoms, atom{list: ls})
	}
	switch {
	case len(it.atoms) > 0:
		it.rng = l.rangeOf(it.atoms[0])
		it.rng.End = l.rangeOf(it.atoms[len(it.atoms)-1]).End
	case n.block != nil:
		it.rng = l.blockRange(n.block)
	}
	if n.block != nil {
		it.rng.End = l.blockRange(n.block).End
	}
	return it, ok
}

func (l *lowerer) blockRange(b *block) rules.Range {
	return rules.Range{File: l.file, Start: b.open.start, End: b.close.end}
}

// lower builds the policy from the top-level items.
func (l *lowerer) lower(items []*node) {
	for _, n := range items {
		if it, ok := l.item(n); ok {
			l.top(it)
		}
	}
}

func (l *lowerer) top(it item) {
	if len(it.atoms) == 0 {
		l.report(rules.CodeSyntax, it.rng, `write rule "NAME" { … } or vacation "NAME" { … }`,
			"a block needs a keyword and a name before it")
		return
	}
	w := it.atoms[0].word()
	if f := topForms.find(w); f != nil {
		f.decode(l, it)
		return
	}
	if w != "" && (itemForms.find(w) != nil || settingForms.find(w) != nil || actionForms.find(w) != nil || condForms.find(w) != nil) {
		l.report(rules.CodeMisplaced, l.rangeOf(it.atoms[0]), `put it in a block: rule "NAME" { … }`,
			"%s outside a rule or vacation block", w)
		return
	}
	l.unknown(it, topPhrases, "at the top of a file")
}

// topMailbox decodes "mailbox STRING".
func (l *lowerer) topMailbox(it item) {
	lit, ok := l.oneString(it, "the mailbox address")
	if !ok {
		return
	}
	if l.mailboxAt != nil {
		l.report(rules.CodeDuplicateDirective, l.rangeOf(it.atoms[0]),
			fmt.Sprintf("the mailbox is already set at line %d; a policy belongs to one mailbox", l.mailboxAt.Start.Line),
			"second mailbox line")
		return
	}
	l.mailboxAt = &it.rng
	if l.nonEmpty(lit, "mailbox address") {
		l.p.Mailbox = &lit
	}
}

// topAlso decodes "also STRING" and "also LIST".
func (l *lowerer) topAlso(it item) {
	lits, ok := l.strings(it, 1, "an address or a list of addresses")
	if !ok {
		return
	}
	for _, lit := range lits {
		if l.nonEmpty(lit, "address") {
			l.p.Also = append(l.p.Also, lit)
		}
	}
}

// topTimezone decodes "timezone STRING".
func (l *lowerer) topTimezone(it item) {
	lit, ok := l.oneString(it, "an IANA time zone name")
	if !ok {
		return
	}
	if l.timezoneAt != nil {
		l.report(rules.CodeDuplicateDirective, l.rangeOf(it.atoms[0]),
			fmt.Sprintf("the time zone is already set at line %d", l.timezoneAt.Start.Line),
			"second timezone line")
		return
	}
	l.timezoneAt = &it.rng
	if l.checkZone(lit) {
		l.p.Timezone = &lit
	}
}

// oneString decodes "KEYWORD STRING" items.
func (l *lowerer) oneString(it item, what string) (rules.Literal, bool) {
	as := it.atoms
	if len(as) < 2 || !as[1].isString() {
		l.expected(it, 1, what+" in quotes")
		return rules.Literal{}, false
	}
	if !l.noMore(it, 2) {
		return rules.Literal{}, false
	}
	return l.lit(as[1].tok), true
}

// strings decodes a string or a list of strings at atom i, which must end
// the item.
func (l *lowerer) strings(it item, i int, what string) ([]rules.Literal, bool) {
	lits, ok := l.stringsAt(it, i, what)
	if !ok || !l.noMore(it, i+1) {
		return nil, false
	}
	return lits, true
}

func (l *lowerer) stringsAt(it item, i int, what string) ([]rules.Literal, bool) {
	if i >= len(it.atoms) {
		l.expected(it, i, what)
		return nil, false
	}
	a := it.atoms[i]
	if a.isString() {
		return []rules.Literal{l.lit(a.tok)}, true
	}
	if a.list == nil {
		l.expected(it, i, what)
		return nil, false
	}
	if len(a.list.items) == 0 {
		l.report(rules.CodeInvalidValue, a.list.rng, "put at least one string in the list", "empty list")
		return nil, false
	}
	lits := make([]rules.Literal, 0, len(a.list.items))
	ok := true
	for _, t := range a.list.items {
		if t.kind != tString && t.kind != tText {
			l.report(rules.CodeInvalidValue, rules.Range{File: l.file, Start: t.start, End: t.end},
				fmt.Sprintf("write it in quotes: %s", quote(t.raw)), "list items are strings, not %s", describe(t))
			ok = false
			continue
		}
		lits = append(lits, l.lit(t))
	}
	return lits, ok
}

// isTainted reports whether the literal already has a lexical error (bad
// escape, invalid UTF-8…): checking its value would report a consequence.
func (l *lowerer) isTainted(lit rules.Literal) bool { return l.tainted[lit.Range.Start.Offset] }

func (l *lowerer) nonEmpty(lit rules.Literal, what string) bool {
	if l.isTainted(lit) {
		return false
	}
	if strings.TrimSpace(lit.Value) == "" {
		l.report(rules.CodeInvalidValue, lit.Range, "write the "+what+" between the quotes", "empty %s", what)
		return false
	}
	return true
}

// expected reports that atom i of the item is not what was expected.
func (l *lowerer) expected(it item, i int, what string) {
	hint := ""
	if len(it.atoms) > 0 {
		if u, ok := usage[it.atoms[0].word()]; ok {
			hint = "write it as: " + u
		}
	}
	l.expectedHint(it, i, what, hint)
}

// expectedHint is expected with a given hint.
func (l *lowerer) expectedHint(it item, i int, what, hint string) {
	if i < len(it.atoms) {
		a := it.atoms[i]
		desc := "a list"
		if a.tok != nil {
			desc = describe(a.tok)
		}
		l.report(rules.CodeSyntax, l.rangeOf(a), hint, "expected %s, found %s", what, desc)
		return
	}
	r := it.rng
	if len(it.atoms) > 0 {
		r = l.rangeOf(it.atoms[len(it.atoms)-1])
	}
	if it.block != nil && len(it.atoms) > 0 {
		r = l.blockRange(it.block)
		l.report(rules.CodeSyntax, rules.Range{File: l.file, Start: r.Start, End: r.Start}, hint, "expected %s before {", what)
		return
	}
	l.report(rules.CodeSyntax, rules.Range{File: l.file, Start: r.End, End: r.End}, hint,
		"expected %s after %s", what, l.text(it.atoms[max(0, min(i, len(it.atoms))-1)]))
}

// usage shows the form of each element, for the hints of syntax errors.
var usage = map[string]string{
	"mailbox":    `mailbox "cabinet@medecin.mssante.fr"`,
	"also":       `also "a@medecin.mssante.fr" or also ["a@…", "b@…"]`,
	"timezone":   `timezone "Europe/Paris"`,
	"rule":       `rule "NAME" { … } or rule "NAME" disabled { … }`,
	"vacation":   `vacation "NAME" { … } or vacation "NAME" disabled { … }`,
	"when":       `when CONDITION, on one line (all { … } and any { … } may span lines)`,
	"reject":     `reject "REASON"`,
	"reroute":    `reroute to "ADDRESS"`,
	"copy":       `copy to "ADDRESS"`,
	"file":       `file into "FOLDER"`,
	"flag":       `flag "\\Flagged" or flag ["\\Seen", "$Label"]`,
	"reply":      `reply "TEXT" or a """ block`,
	"subject":    `subject "TEXT" (reply setting) or subject contains "…" (condition)`,
	"reply-from": `reply-from "ADDRESS"`,
	"every":      `every 7 days (days, hours, minutes or seconds)`,
	"handle":     `handle "ID"`,
	"from":       `from [local|domain] is "…"`,
	"not":        `not CONDITION`,
	"all":        `all { CONDITION; CONDITION }`,
	"any":        `any { CONDITION; CONDITION }`,
	"to":         `to [local|domain] is "…"`,
	"cc":         `cc [local|domain] is "…"`,
	"bcc":        `bcc [local|domain] is "…"`,
	"sender":     `sender [local|domain] is "…" or sender is patient|trusted|untrusted`,
	"reply-to":   `reply-to [local|domain] is "…"`,
	"envelope":   `envelope from [local|domain] is "…" or envelope to …`,
	"address":    `address "Resent-From" [local|domain] is "…"`,
	"header":     `header "X-MSS-MES" is "FIN"`,
	"body":       `body contains "…"`,
	"exists":     `exists "X-MSS-INS" or exists ["A", "B"]`,
	"size":       `size over 25M or size under 1K`,
	"message":    `message is auto-reply|read-receipt|bounce|mailing-list`,
	"during":     `during mon-fri 08:00-19:00, sat 09:00-12:00`,
	"between":    `between 2025-12-20 [18:00] and 2026-01-05 [08:00]`,
}

// text is the source of an atom, for messages.
func (l *lowerer) text(a atom) string {
	if a.list != nil {
		return "the list"
	}
	return describe(a.tok)
}

// noMore reports atoms after index i, and a block when the form has none.
func (l *lowerer) noMore(it item, i int) bool {
	if i < len(it.atoms) {
		a := it.atoms[i]
		r := l.rangeOf(a)
		r.End = l.rangeOf(it.atoms[len(it.atoms)-1]).End
		hint := "put each element on its own line, or separate them with ;"
		switch kw := it.atoms[0].word(); {
		case a.isString() && it.atoms[i-1].isString() && (listKeywords[kw] || kw == "subject" && it.atoms[1].word() != ""):
			hint = `to give several values, write a list: ["a", "b"]`
		case kw == "mailbox" && a.isString():
			hint = `a policy has one mailbox; give the other addresses with also ["…"]`
		case kw == "rule" || kw == "vacation":
			hint = "write it as: " + usage[kw]
		}
		l.report(rules.CodeSyntax, r, hint, "unexpected %s after %s", l.text(a), l.text(it.atoms[i-1]))
		return false
	}
	if it.block != nil {
		r := l.blockRange(it.block)
		l.report(rules.CodeSyntax, r, fmt.Sprintf("%s takes no block", l.text(it.atoms[0])), "unexpected block")
		return false
	}
	return true
}

// listKeywords take lists where a string is written, for the hint of a
// second string.
var listKeywords = map[string]bool{
	"also": true, "flag": true, "exists": true, "header": true, "address": true, "body": true,
	"from": true, "to": true, "cc": true, "bcc": true, "sender": true, "reply-to": true, "envelope": true,
}

// zoneSuggestions are the zones of France and its overseas territories,
// offered when a zone name is misspelt.
var zoneSuggestions = []string{
	"Europe/Paris", "America/Guadeloupe", "America/Martinique", "America/Cayenne", "America/Miquelon",
	"Indian/Reunion", "Indian/Mayotte", "Pacific/Noumea", "Pacific/Tahiti", "Pacific/Wallis", "UTC",
}

// knownZones caches the zone names that time.LoadLocation accepted: loading
// one reads and parses the embedded database.
var knownZones sync.Map

func (l *lowerer) checkZone(lit rules.Literal) bool {
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
	l.report(rules.CodeUnknownTimezone, lit.Range, hint, "unknown time zone %q", lit.Value)
	return false
}

// statement decodes a rule or vacation item.
func (l *lowerer) statement(it item) {
	kw := it.atoms[0].word()
	as := it.atoms
	if len(as) < 2 || !as[1].isString() {
		l.expected(it, 1, "the "+kw+"'s name in quotes")
		return
	}
	name := l.lit(as[1].tok)
	disabled := false
	i := 2
	if i < len(as) && as[i].word() == "disabled" {
		disabled = true
		i++
	} else if i < len(as) && as[i].word() != "" {
		hint := `the only word allowed after the name is "disabled"`
		if suggest(as[i].word(), []string{"disabled"}, false) != "" {
			hint = `did you mean "disabled"?`
		}
		l.report(rules.CodeUnknownKeyword, l.rangeOf(as[i]), hint, "unknown keyword %q", as[i].word())
		return
	}
	if i < len(as) {
		l.noMore(item{atoms: as}, i)
		return
	}
	if it.block == nil {
		r := l.rangeOf(as[len(as)-1])
		l.report(rules.CodeSyntax, rules.Range{File: l.file, Start: r.End, End: r.End},
			fmt.Sprintf(`write the %s's content in braces: %s %s { … }`, kw, kw, quote(name.Value)),
			"expected { after the %s's name", kw)
		return
	}
	if strings.TrimSpace(name.Value) == "" {
		l.report(rules.CodeInvalidValue, name.Range, "give it a name that says what it does", "empty %s name", kw)
	} else if first, dup := l.names[name.Value]; dup {
		l.report(rules.CodeDuplicateName, name.Range,
			fmt.Sprintf("the name is already used at line %d; names are unique in a file", first.Start.Line),
			"duplicate name %q", name.Value)
	} else {
		l.names[name.Value] = name.Range
	}
	if l.opts.MaxStatements > 0 && len(l.p.Statements) >= l.opts.MaxStatements {
		if !l.limitHit {
			l.limitHit = true
			l.report(rules.CodeLimit, l.rangeOf(as[0]),
				fmt.Sprintf("split the policy, or raise the limit (MaxStatements = %d)", l.opts.MaxStatements),
				"more than %d rules and absence blocks", l.opts.MaxStatements)
		}
		return
	}
	node := rules.Node{Range: it.rng}
	b := l.body(it.block, kw == "vacation")
	if kw == "vacation" {
		v := &rules.Vacation{Node: node, Name: name, Disabled: disabled, Windows: b.windows, When: b.when, Actions: b.actions}
		if b.reply == nil && !b.replySeen {
			l.report(rules.CodeEmptyReply, name.Range, `add reply "…" with the text of the absence message`,
				"absence block without reply")
		} else if b.reply != nil {
			v.Reply = *b.reply
		}
		l.p.Statements = append(l.p.Statements, v)
		return
	}
	l.p.Statements = append(l.p.Statements, &rules.Rule{Node: node, Name: name, Disabled: disabled, When: b.when, Actions: b.actions})
}
