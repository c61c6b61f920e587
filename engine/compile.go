package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // policies name IANA zones; do not depend on the host's database

	"github.com/tamis-mss/tamis/engine/internal/autoreply"
	"github.com/tamis-mss/tamis/mssante"
	"github.com/tamis-mss/tamis/rules"
)

// Compile turns a policy into a Program. It reports every problem it finds
// as a diagnostic at the element's source range, so that what would fail
// at run time for every message fails here instead: an unknown time zone,
// a regular expression RE2 refuses, a reroute or copy target (or a
// reply-from address) refused by the trust space, a mailbox or "also"
// address that is not a strict address of the trust space, a folder name
// or reject reason that is not safe to hand to the host (see
// docs/LANGUAGE.md), a reply the reply builder refuses (a subject with a
// line break or only blanks), a reject that conflicts with another action
// of its rule or of another statement that applies to every message, more
// targets than Options.MaxRedirects; and, as warnings, an unverified trust
// space, unreachable statements and reply periods outside the site's
// bounds. A diagnostic that refers to a second place carries it in
// Related. A policy with error diagnostics yields a nil Program, and so
// does a ctx done before the end (a "limit" diagnostic says so); ctx is
// checked every few statements and regular expressions.
func Compile(ctx context.Context, p *rules.Policy, opts Options) (*Program, rules.Diagnostics) {
	if ctx == nil {
		ctx = context.Background()
	}
	if p == nil {
		return nil, rules.Diagnostics{{Severity: rules.Error, Code: rules.CodeInvalidValue,
			Message: "no policy to compile"}}
	}
	c := &compiler{ctx: ctx, policy: p, conflicted: map[*statement]bool{}}
	if opts.Trust == nil {
		opts.Trust = mssante.NewTrustSpace(nil)
	}
	opts = opts.withDefaults()
	c.opts = opts
	c.list = opts.Trust.List()
	if !c.list.Verified() {
		c.diag(rules.Warning, rules.CodeUnverifiedTrust, rules.Range{File: p.File},
			"no published MSSanté trust list is loaded: targets are checked against the built-in fallback (*.mssante.fr and the Apicrypt domains)",
			"load listeblanchemssante.xml (and its checksum) into the trust space")
	}

	prog := &Program{opts: opts, file: p.File, list: c.list}
	c.prog = prog
	prog.headerNames = append(prog.headerNames, fixedHeaderSlots...)
	prog.addressNames = append(prog.addressNames, "From")
	prog.loc = c.location()
	c.loc = prog.loc
	switch {
	case p.Mailbox != nil:
		prog.mailbox = c.ownAddress(*p.Mailbox, "mailbox")
	case strings.TrimSpace(opts.Mailbox) != "":
		prog.mailbox = c.ownAddress(rules.Literal{Value: opts.Mailbox, Range: rules.Range{File: p.File}}, "mailbox (Options.Mailbox)")
	}
	for _, a := range p.Also {
		// A refused address is not one of the holder's: a target equal to
		// it is then refused for what it is (outside the trust space), not
		// as a self target.
		if own := c.ownAddress(a, "also address"); own != "" {
			prog.also = append(prog.also, own)
		}
	}
	c.self = prog.self("")

	for i, s := range p.Statements {
		if i%ctxCheckEvery == 0 && c.interrupted() {
			return nil, c.diags
		}
		st := c.statement(s)
		st.idx = int32(len(prog.stmts))
		prog.stmts = append(prog.stmts, st)
	}
	if c.interrupted() {
		return nil, c.diags
	}
	c.checkReachability(prog)
	c.checkAbsences(prog)
	c.checkAlways(prog)
	prog.buildIndex()
	c.diags.Sort()
	if c.diags.HasErrors() {
		return nil, c.diags
	}
	return prog, c.diags
}

// self returns the holder's addresses: the mailbox (or rcpt when the
// program names none) and the "also" addresses.
func (p *Program) self(rcpt string) []string {
	own := make([]string, 0, 1+len(p.also))
	switch {
	case p.mailbox != "":
		own = append(own, p.mailbox)
	case rcpt != "":
		own = append(own, rcpt)
	}
	return append(own, p.also...)
}

type compiler struct {
	ctx    context.Context
	prog   *Program
	policy *rules.Policy
	opts   Options
	list   *mssante.List
	loc    *time.Location
	self   []string
	diags  rules.Diagnostics
	// scanKeys and regexInsts count the keys and the regular expression
	// instructions against Options.MaxScanKeys and MaxRegexInsts.
	scanKeys, regexInsts int
	cancelled            bool
	// conflicted are the statements whose reject conflicts with another
	// of their actions (reported once, by checkConflicts).
	conflicted map[*statement]bool
}

func (c *compiler) diag(sev rules.Severity, code rules.Code, r rules.Range, msg, hint string) {
	c.diagAt(sev, code, r, msg, hint)
}

// diagAt reports a diagnostic with related ranges.
func (c *compiler) diagAt(sev rules.Severity, code rules.Code, r rules.Range, msg, hint string, rel ...rules.Related) {
	if r.File == "" {
		r.File = c.policy.File
	}
	for i := range rel {
		if rel[i].Range.File == "" {
			rel[i].Range.File = c.policy.File
		}
	}
	c.diags = append(c.diags, rules.Diagnostic{Severity: sev, Code: code, Message: msg, Range: r, Hint: hint, Related: rel})
}

// interrupted reports, once as a diagnostic, that ctx is done: Compile
// then returns no Program.
func (c *compiler) interrupted() bool {
	err := c.ctx.Err()
	if err != nil && !c.cancelled {
		c.cancelled = true
		c.diag(rules.Error, rules.CodeLimit, rules.Range{File: c.policy.File},
			fmt.Sprintf("compilation interrupted: %v", err), "compile again with more time")
	}
	return err != nil
}

// related is a related range of a diagnostic.
func related(msg string, r rules.Range) rules.Related { return rules.Related{Message: msg, Range: r} }

// headerSlots returns the cache slots of header names, adding new ones.
func (c *compiler) headerSlots(names []string) []int {
	return slotsOf(&c.prog.headerNames, names)
}

// addressSlots returns the cache slots of address field names.
func (c *compiler) addressSlots(names []string) []int {
	return slotsOf(&c.prog.addressNames, names)
}

// sharedSlots backs the slot lists of one small slot, shared (read only)
// by the nodes that test one field: most do.
var sharedSlots = func() (s [32]int) {
	for i := range s {
		s[i] = i
	}
	return s
}()

func slotsOf(table *[]string, names []string) []int {
	if len(names) == 1 {
		for j, known := range *table {
			if j < len(sharedSlots) && strings.EqualFold(known, names[0]) {
				return sharedSlots[j : j+1 : j+1]
			}
		}
	}
	slots := make([]int, len(names))
	for i, name := range names {
		slots[i] = -1
		for j, known := range *table {
			if strings.EqualFold(known, name) {
				slots[i] = j
				break
			}
		}
		if slots[i] < 0 {
			slots[i] = len(*table)
			*table = append(*table, name)
		}
	}
	return slots
}

func (c *compiler) location() *time.Location {
	name := c.policy.Zone()
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		var r rules.Range
		if c.policy.Timezone != nil {
			r = c.policy.Timezone.Range
		}
		c.diag(rules.Error, rules.CodeUnknownTimezone, r,
			fmt.Sprintf("unknown time zone %q", name), `use an IANA zone name such as "Europe/Paris"`)
		return time.UTC
	}
	return loc
}

func (c *compiler) statement(s rules.Statement) *statement {
	st := &statement{name: s.Label().Value, disabled: s.IsDisabled(), rng: spanOf(s.Source())}
	var actions []rules.Action
	switch s := s.(type) {
	case *rules.Rule:
		st.cond = c.condition(s.When)
		actions = s.Actions
	case *rules.Vacation:
		st.vacation, st.absence = true, &absence{}
		for _, w := range s.Windows {
			st.windows = append(st.windows, c.window(w))
		}
		st.cond = c.condition(s.When)
		st.reply = c.reply(&s.Reply)
		st.replyAct = &compiledAction{kind: ActionReply, actionExtra: &actionExtra{reply: st.reply}, rng: st.reply.rng, stmt: st}
		actions = s.Actions
	}
	for _, a := range actions {
		if ca := c.action(st, a); ca != nil {
			st.actions = append(st.actions, ca)
		}
	}
	c.checkConflicts(st, actions)
	return st
}

func (c *compiler) window(w rules.Window) window {
	cw := window{rng: w.Source()}
	var parts []string
	if w.From != nil {
		cw.from, cw.hasFrom = w.From.StartIn(c.loc), true
		parts = append(parts, "from "+w.From.String())
	}
	if w.Until != nil {
		cw.until, cw.hasUntil = w.Until.EndIn(c.loc), true
		parts = append(parts, "until "+w.Until.String())
	}
	cw.text = strings.Join(parts, " ")
	return cw
}

func (c *compiler) action(st *statement, a rules.Action) *compiledAction {
	ca := &compiledAction{rng: spanOf(a.Source()), stmt: st}
	switch a := a.(type) {
	case *rules.Keep:
		ca.kind = ActionKeep
	case *rules.Discard:
		ca.kind = ActionDiscard
	case *rules.Reject:
		ca.kind, ca.reason = ActionReject, a.Reason.Value
		c.checkReason(a.Reason)
	case *rules.Reroute:
		ca.kind = ActionReroute
		ca.target = c.authorize(a.Target, "reroute")
	case *rules.Copy:
		ca.kind = ActionCopy
		ca.target = c.authorize(a.Target, "copy")
	case *rules.FileInto:
		ca.kind, ca.folder = ActionFileInto, a.Folder.Value
		c.checkFolder(a.Folder)
	case *rules.Flag:
		ca.kind, ca.actionExtra = ActionFlag, &actionExtra{}
		ca.flags = rules.Values(a.Flags)
	case *rules.Stop:
		ca.stop = true
	case *rules.Reply:
		ca.kind, ca.actionExtra = ActionReply, &actionExtra{}
		ca.reply = c.reply(a)
	case *rules.Notify:
		ca.kind, ca.actionExtra = ActionNotify, &actionExtra{}
		if ca.notice = c.notice(a); ca.notice == nil {
			return nil // refused: reported
		}
	default:
		c.diag(rules.Error, rules.CodeInvalidValue, a.Source(), fmt.Sprintf("unknown action %T", a), "")
		return nil
	}
	if (ca.kind == ActionReroute || ca.kind == ActionCopy) && !ca.stop && ca.target.IsZero() {
		return nil // refused: reported, and the program will not be built
	}
	return ca
}

// authorize checks a literal target against the trust space.
func (c *compiler) authorize(lit rules.Literal, verb string) mssante.Target {
	t, err := c.list.Authorize(lit.Value, c.self...)
	if err == nil {
		return t
	}
	c.refusal(lit, verb+" target", err)
	return mssante.Target{}
}

const replyFromWhat = "reply-from address"

// refusal turns an Authorize error into a diagnostic at lit.
func (c *compiler) refusal(lit rules.Literal, what string, err error) {
	var ref *mssante.Refusal
	if !errors.As(err, &ref) {
		c.diag(rules.Error, rules.CodeInvalidAddress, lit.Range, fmt.Sprintf("%s %q: %v", what, lit.Value, err), "")
		return
	}
	code := rules.Code(ref.Code)
	var phrase, hint string
	switch ref.Code {
	case mssante.CodeInvalidAddress:
		phrase = "is not a valid address"
		hint = "give one plain address, such as \"secretariat@hopital.mssante.fr\""
	case mssante.CodeOutsideTrustSpace:
		phrase = "is outside the MSSanté trust space"
		hint = "only addresses of domains in the MSSanté trust list may receive rerouted mail"
		if what == replyFromWhat {
			hint = "the reply must come from one of the mailbox's addresses or from an address inside the trust space"
		}
	case mssante.CodePatientTarget:
		phrase = "is a patient mailbox"
		hint = "mail must never be forwarded automatically to a patient"
	case mssante.CodeSelfTarget:
		phrase = "is the mailbox itself"
		hint = "remove the action: the message is already delivered here"
	default:
		phrase = "is refused"
	}
	if ref.Suggestion != "" {
		hint = fmt.Sprintf("did you mean %q?", ref.Suggestion)
	}
	msg := fmt.Sprintf("%s %q %s: %s", what, lit.Value, phrase, ref.Reason)
	// The fallback is said once: not where the reason names it already
	// ("… not in the built-in fallback list"), nor where the list plays no part (a
	// patient mailbox, the mailbox itself).
	if ref.Unverified && ref.Code == mssante.CodeOutsideTrustSpace && !strings.Contains(ref.Reason, "fallback") {
		msg = fmt.Sprintf("%s (checked against the unverified fallback)", msg)
	}
	c.diag(rules.Error, code, lit.Range, msg, hint)
}

func (c *compiler) reply(r *rules.Reply) *replySpec {
	rs := &replySpec{text: r.Text.Value, rng: spanOf(r.Source()), period: c.opts.DefaultPeriod}
	if r.Subject != nil {
		rs.subject, rs.hasSubject = r.Subject.Value, true
	}
	if r.Handle != nil {
		rs.handle = r.Handle.Value
	}
	if r.From != nil {
		rs.from = strings.TrimSpace(r.From.Value)
		rs.fromAddr = c.replyFromAddress(*r.From)
		if rs.fromAddr != "" && !c.isSelf(rs.fromAddr) {
			if _, err := c.list.Authorize(rs.fromAddr); err != nil {
				c.refusal(rules.Literal{Value: rs.fromAddr, Range: r.From.Range}, replyFromWhat, err)
			}
		}
	}
	if r.Period != nil {
		rs.period = r.Period.Duration()
		switch {
		case rs.period < c.opts.MinPeriod:
			c.diag(rules.Warning, rules.CodeInvalidValue, r.Period.Range,
				fmt.Sprintf("reply period of %s is shorter than the site minimum of %s: it is raised to %s", formatPeriod(r.Period.Duration()), formatPeriod(c.opts.MinPeriod), formatPeriod(c.opts.MinPeriod)),
				"write a period of at least the site minimum")
			rs.period = c.opts.MinPeriod
		case c.opts.MaxPeriod > 0 && rs.period > c.opts.MaxPeriod:
			c.diag(rules.Warning, rules.CodeInvalidValue, r.Period.Range,
				fmt.Sprintf("reply period of %s is longer than the site maximum of %s: it is lowered to %s", formatPeriod(r.Period.Duration()), formatPeriod(c.opts.MaxPeriod), formatPeriod(c.opts.MaxPeriod)),
				"write a period of at most the site maximum")
			rs.period = c.opts.MaxPeriod
		}
	}
	rs.period = c.clampPeriod(rs.period)
	rs.id = autoreply.ResponseID(rs.subject, rs.text, rs.from, rs.handle)
	c.checkReply(r, rs)
	return rs
}

func (c *compiler) clampPeriod(d time.Duration) time.Duration {
	if d < c.opts.MinPeriod {
		d = c.opts.MinPeriod
	}
	if c.opts.MaxPeriod > 0 && d > c.opts.MaxPeriod {
		d = c.opts.MaxPeriod
	}
	return d
}

func (c *compiler) isSelf(addr string) bool {
	for _, own := range c.self {
		if strings.EqualFold(own, addr) {
			return true
		}
	}
	return false
}

// checkConflicts reports what can never work within one statement: reject
// with an action that delivers or answers the message, and more distinct
// targets than the redirect limit.
func (c *compiler) checkConflicts(st *statement, actions []rules.Action) {
	var reject rules.Action
	for _, a := range actions {
		if _, ok := a.(*rules.Reject); ok {
			reject = a
			break
		}
	}
	if reject != nil {
		for _, a := range actions {
			var what string
			switch a.(type) {
			case *rules.Keep:
				what = "keep"
			case *rules.FileInto:
				what = "file into"
			case *rules.Reply:
				what = "reply"
			case *rules.Reroute:
				what = "reroute to"
			case *rules.Copy:
				what = "copy to"
			default:
				continue
			}
			c.conflicted[st] = true
			c.diag(rules.Error, rules.CodeRejectConflict, a.Source(),
				fmt.Sprintf("%q cannot be combined with reject in %q: a rejected message is not delivered", what, st.name),
				"remove the reject, or move this action to another rule")
		}
		if st.vacation {
			c.conflicted[st] = true
			c.diag(rules.Error, rules.CodeRejectConflict, reject.Source(),
				fmt.Sprintf("reject cannot be used in the absence block %q, which sends a reply", st.name),
				"use discard to drop the message silently")
		}
	}
	var targets []string
	for _, a := range st.actions {
		if (a.kind == ActionReroute || a.kind == ActionCopy) && !a.stop {
			t := a.target.String()
			dup := false
			for _, u := range targets {
				if u == t {
					dup = true
				}
			}
			if !dup {
				targets = append(targets, t)
				if len(targets) == c.opts.MaxRedirects+1 {
					c.diag(rules.Error, rules.CodeTooManyRedirects, a.rng.Range(),
						fmt.Sprintf("%q sends the message to more than %d addresses", st.name, c.opts.MaxRedirects),
						"at most "+fmt.Sprint(c.opts.MaxRedirects)+" reroute or copy targets are allowed per message")
				}
			}
		}
	}
}

// checkReachability warns about actions after a stop, and statements after
// an enabled rule that always applies and stops.
func (c *compiler) checkReachability(prog *Program) {
	stopped := false
	for _, st := range prog.stmts {
		if stopped && !st.disabled {
			c.diag(rules.Warning, rules.CodeUnreachable, st.rng.Range(),
				fmt.Sprintf("%q is never evaluated: an earlier rule always applies and stops", st.name),
				"move it before that rule, or add a condition to that rule")
			continue
		}
		for i, a := range st.actions {
			if a.stop && i+1 < len(st.actions) {
				c.diag(rules.Warning, rules.CodeUnreachable, st.actions[i+1].rng.Range(),
					"this action follows stop and never runs", "move it before stop")
				break
			}
		}
		if !st.disabled && !st.vacation && (st.cond == nil || st.cond.op == opAlways) {
			for _, a := range st.actions {
				if a.stop {
					stopped = true
				}
			}
		}
	}
}

// formatPeriod writes a duration in the largest unit that divides it, as
// the language does: "7 days", "1 hour", "90 seconds".
func formatPeriod(d time.Duration) string {
	for _, u := range []struct {
		name string
		d    time.Duration
	}{{"day", 24 * time.Hour}, {"hour", time.Hour}, {"minute", time.Minute}, {"second", time.Second}} {
		if d >= u.d && d%u.d == 0 {
			n := int64(d / u.d)
			if n == 1 {
				return "1 " + u.name
			}
			return fmt.Sprintf("%d %ss", n, u.name)
		}
	}
	return d.String()
}
