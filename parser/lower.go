package parser

import (
	"fmt"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/tamis-mss/tamis/rules"
)

// Lowering builds the rules values of a parsed element and checks what
// the grammar does not: values (lower_value.go), duplicates, and what
// belongs in a rule or an absence block. It reports every problem and
// leaves out what is wrong.

// tok is the token at a grammar position (see grammar.go).
func (r *reader) tok(p lexer.Position) *token { return r.cur[p.Offset] }

// element is the range of the element that begins at pos: up to the
// separator or closing brace that ends it (a condition after when or not
// ends with its item).
func (r *reader) element(pos lexer.Position) rules.Range {
	i := pos.Offset
	return r.between(r.cur[i], r.cur[max(i+unitEnd(r.cur[i:])-1, i)])
}

func (r *reader) lit(t lexer.Token) rules.Literal {
	tok := r.tok(t.Pos)
	return rules.Literal{Value: tok.val, Range: r.rangeOf(tok)}
}

// values returns the strings of a string or a list; a list is not empty.
func (r *reader) values(n *values) ([]rules.Literal, bool) {
	if n.One != nil {
		return []rules.Literal{r.lit(*n.One)}, true
	}
	return r.list(n.List)
}

func (r *reader) list(n *list) ([]rules.Literal, bool) {
	var lits []rules.Literal
	for _, t := range n.Items {
		if t.Type == symbol(tString) {
			lits = append(lits, r.lit(t))
		}
	}
	if len(lits) == 0 {
		r.report(rules.CodeInvalidValue, r.between(r.tok(n.Pos), r.cur[n.Pos.Offset+1+len(n.Items)]), "put at least one string in the list", "empty list")
		return nil, false
	}
	return lits, true
}

// lowerTop builds a top-level element.
func (r *reader) lowerTop(n *top) {
	keyword := r.rangeOf(r.tok(n.Pos))
	switch {
	case n.Mailbox != nil:
		lit := r.lit(*n.Mailbox)
		if r.mailboxAt != nil {
			r.report(rules.CodeDuplicateDirective, keyword,
				fmt.Sprintf("the mailbox is already set at line %d; a policy belongs to one mailbox", r.mailboxAt.Start.Line),
				"second mailbox line")
			return
		}
		r.mailboxAt = &keyword
		if r.nonEmpty(lit, "mailbox address") {
			r.p.Mailbox = &lit
		}
	case n.Also != nil:
		lits, _ := r.values(n.Also)
		for _, lit := range lits {
			if r.nonEmpty(lit, "address") {
				r.p.Also = append(r.p.Also, lit)
			}
		}
	case n.Timezone != nil:
		lit := r.lit(*n.Timezone)
		if r.timezoneAt != nil {
			r.report(rules.CodeDuplicateDirective, keyword,
				fmt.Sprintf("the time zone is already set at line %d", r.timezoneAt.Start.Line), "second timezone line")
			return
		}
		r.timezoneAt = &keyword
		if r.checkZone(lit) {
			r.p.Timezone = &lit
		}
	case n.Statement != nil:
		r.statement(n.Statement)
	}
}

// overLimit reports whether the statement that begins with t is past
// opts.MaxStatements; the first one past is reported.
func (r *reader) overLimit(t *token) bool {
	if (t.raw != "rule" && t.raw != "vacation") || r.opts.MaxStatements <= 0 || len(r.p.Statements) < r.opts.MaxStatements {
		return false
	}
	if !r.limitHit {
		r.limitHit = true
		r.report(rules.CodeLimit, r.rangeOf(t), fmt.Sprintf("split the policy, or raise the limit (MaxStatements = %d)", r.opts.MaxStatements),
			"more than %d rules and absence blocks", r.opts.MaxStatements)
	}
	return true
}

// statement builds a rule or an absence block.
func (r *reader) statement(n *statement) {
	kind := n.Kind
	name := r.lit(n.Name)
	if strings.TrimSpace(name.Value) == "" {
		r.report(rules.CodeInvalidValue, name.Range, "give it a name that says what it does", "empty %s name", kind)
	} else if first, dup := r.names[name.Value]; dup {
		r.report(rules.CodeDuplicateName, name.Range,
			fmt.Sprintf("the name is already used at line %d; names are unique in a file", first.Start.Line),
			"duplicate name %q", name.Value)
	} else {
		r.names[name.Value] = name.Range
	}
	node := rules.Node{Range: r.element(n.Pos)}
	b := r.body(n.Items, kind == "vacation")
	if kind == "rule" {
		r.p.Statements = append(r.p.Statements, &rules.Rule{Node: node, Name: name, Disabled: n.Disabled, When: b.when, Actions: b.actions})
		return
	}
	v := &rules.Vacation{Node: node, Name: name, Disabled: n.Disabled, Windows: b.windows, When: b.when, Actions: b.actions}
	if b.reply != nil {
		v.Reply = *b.reply
	} else if !b.replySeen {
		r.report(rules.CodeEmptyReply, name.Range, `add reply "…" with the text of the absence message`, "absence block without reply")
	}
	r.p.Statements = append(r.p.Statements, v)
}

// bodyResult is the content of a rule or absence block.
type bodyResult struct {
	vacation bool // an absence block, not a rule
	windows  []rules.Window
	when     rules.Condition
	whenAt   rules.Range
	reply    *rules.Reply
	actions  []rules.Action
	// replySeen is set by any reply line, even one with an error, so that
	// its absence is not reported as well.
	replySeen bool

	subject, from, handle *rules.Literal
	period                *rules.Period
	settings              []*token // the keyword of every reply setting, for the "without reply" check
}

// kind names the block in messages.
func (b *bodyResult) kind() string {
	if b.vacation {
		return "absence block"
	}
	return "rule"
}

// body builds the items of a rule or absence block. The items recovery
// dropped still count where their keyword tells enough: a broken reply
// line is a reply, a broken when line a first condition, a broken every
// line a reply setting.
func (r *reader) body(items []*item, vacation bool) bodyResult {
	b := bodyResult{vacation: vacation}
	var lostWhen *token
	for _, elem := range r.lost {
		switch kw := elem[0]; kw.raw {
		case "reply":
			b.replySeen = true
		case "subject", "reply-from", "every", "handle":
			if kw.raw != "subject" || len(elem) > 1 && elem[1].kind == tString {
				b.settings = append(b.settings, kw)
			}
		case "when":
			if lostWhen == nil {
				lostWhen = kw
			}
		}
	}
	for _, it := range items {
		if it == nil {
			continue
		}
		rng := r.element(it.Pos)
		kw := r.tok(it.Pos)
		switch {
		case it.When != nil:
			if lostWhen != nil && lostWhen.start.Offset < kw.start.Offset && !b.whenAt.IsValid() {
				b.whenAt = r.rangeOf(lostWhen)
			}
			if b.whenAt.IsValid() {
				r.report(rules.CodeDuplicateDirective, r.rangeOf(kw),
					fmt.Sprintf("the condition is already given at line %d; combine them with all { … } or any { … }", b.whenAt.Start.Line),
					"second when in one %s", b.kind())
				continue
			}
			b.whenAt = rng
			b.when = r.cond(it.When, 1)
		case it.Window != nil:
			if !vacation {
				r.report(rules.CodeMisplaced, rng, `absence windows belong in vacation blocks; in a rule write when between DATE and DATE`,
					"absence window in a rule")
			} else if w, ok := r.window(it.Window, rng); ok {
				b.windows = append(b.windows, w)
			}
		case it.Reply != nil:
			r.reply(&b, kw, r.lit(*it.Reply), rng)
		case it.Subject != nil:
			r.setting(&b, kw, &b.subject, r.lit(*it.Subject), "")
		case it.ReplyFrom != nil:
			r.setting(&b, kw, &b.from, r.lit(*it.ReplyFrom), "address")
		case it.Handle != nil:
			r.setting(&b, kw, &b.handle, r.lit(*it.Handle), "handle")
		case it.Every != nil:
			if b.period != nil {
				r.duplicateSetting(kw, b.period.Range)
				continue
			}
			b.settings = append(b.settings, kw)
			if p, ok := r.period(it.Every, rng); ok {
				b.period = &p
			}
		case it.Action != nil:
			if a := r.action(it.Action, rules.Node{Range: rng}); a != nil {
				b.actions = append(b.actions, a)
			}
		}
	}
	if b.reply != nil {
		b.reply.Subject, b.reply.From, b.reply.Period, b.reply.Handle = b.subject, b.from, b.period, b.handle
	} else if !b.replySeen {
		for _, kw := range b.settings {
			r.report(rules.CodeMisplaced, r.rangeOf(kw), `add reply "…", or remove this line`,
				"%s applies to a reply, and this %s has none", kw.raw, b.kind())
		}
	}
	return b
}

// reply builds "reply STRING".
func (r *reader) reply(b *bodyResult, kw *token, lit rules.Literal, rng rules.Range) {
	b.replySeen = true
	if strings.TrimSpace(lit.Value) == "" && !r.isTainted(lit) {
		r.report(rules.CodeEmptyReply, lit.Range, "write the text of the reply between the quotes", "empty reply text")
		return
	}
	if b.reply != nil {
		r.report(rules.CodeDuplicateDirective, r.rangeOf(kw),
			fmt.Sprintf("the reply is already given at line %d; a %s sends at most one reply", b.reply.Range.Start.Line, b.kind()),
			"second reply in one %s", b.kind())
		return
	}
	b.reply = &rules.Reply{Node: rules.Node{Range: rng}, Text: lit}
	if !b.vacation {
		b.actions = append(b.actions, b.reply)
	}
}

// setting builds a "KEYWORD STRING" reply setting into *dst; what, when
// set, names a value that must not be empty.
func (r *reader) setting(b *bodyResult, kw *token, dst **rules.Literal, lit rules.Literal, what string) {
	if *dst != nil {
		r.duplicateSetting(kw, (*dst).Range)
		return
	}
	b.settings = append(b.settings, kw)
	if what == "" || r.nonEmpty(lit, what) {
		*dst = &lit
	}
}

func (r *reader) duplicateSetting(kw *token, first rules.Range) {
	r.report(rules.CodeDuplicateDirective, r.rangeOf(kw), fmt.Sprintf("it is already set at line %d", first.Start.Line),
		"second %s line", kw.raw)
}

// action builds an action; reject conflicts are the engine's to report.
func (r *reader) action(n *action, node rules.Node) rules.Action {
	switch {
	case n.Word == "keep":
		return &rules.Keep{Node: node}
	case n.Word == "discard":
		return &rules.Discard{Node: node}
	case n.Word == "stop":
		return &rules.Stop{Node: node}
	case n.Reject != nil:
		return &rules.Reject{Node: node, Reason: r.lit(*n.Reject)}
	case n.Reroute != nil:
		if lit := r.lit(*n.Reroute); r.nonEmpty(lit, "address") {
			return &rules.Reroute{Node: node, Target: lit}
		}
	case n.Copy != nil:
		if lit := r.lit(*n.Copy); r.nonEmpty(lit, "address") {
			return &rules.Copy{Node: node, Target: lit}
		}
	case n.File != nil:
		if lit := r.lit(*n.File); r.nonEmpty(lit, "folder name") {
			return &rules.FileInto{Node: node, Folder: lit}
		}
	case n.Flag != nil:
		if flags, ok := r.values(n.Flag); ok && r.flags(flags) {
			return &rules.Flag{Node: node, Flags: flags}
		}
	case n.Notify != nil:
		return r.notify(n.Notify, node)
	}
	return nil
}
