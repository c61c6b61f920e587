package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/engine/vacation"
	"github.com/tamis-mss/tamis/internal/locale"
)

var runHelp = help{
	name:  "run",
	usage: "--policy FILE [--from ADDR] [--to ADDR] [--now RFC3339|message] [--trust FILE] [--state FILE] [--format text|json] [--jobs N] [--trace] MESSAGE…|MAILDIR|MBOX",
	about: `
Run evaluates a policy on messages and prints, for each one, what happens and
why: the actions with the rule (or absence block) and the conditions that
produced them, whether the message is kept in the inbox, the absence reply to
send, the targets refused by the trust check, and any error.

Messages are files (RFC 5322, as .eml), mbox files (split on "From " lines),
Maildirs (cur/ and new/) or directories of message files. A batch is read by a
pool of workers and printed in input order; evaluation itself runs in input
order, so that which message gets an absence reply does not depend on timing.
A progress line is drawn on standard error when it is a terminal.

The envelope defaults to what the message says: the sender is --from, or the
Return-Path, or the From address; the recipient is --to, or the policy's
mailbox, or the first To address. The clock is --now, or the current time;
--now message takes each message's Date header, to replay an archive as it
was delivered (a message without a valid Date is an error).
Absence replies are remembered across runs only with --state FILE.

--format json prints one JSON object per message and per line (JSON Lines);
the fields are documented in docs/CLI.md.

Exit status: 0 when every message was evaluated without error, 1 when an
evaluation reported errors or refused targets, 2 for bad usage, a policy
with errors, or a message that cannot be read.`,
	examples: `
tamis run --policy cabinet.rules message.eml
tamis run --policy cabinet.rules --now 2025-12-24T10:00:00+01:00 --from dr.martin@chu-nantes.mssante.fr message.eml
tamis run --policy cabinet.rules --format json ~/Maildir | jq .actions
tamis run --policy cabinet.rules --state replies.db --trust listeblanchemssante.xml archive.mbox
tamis run --policy cabinet.rules --trace message.eml   # why a rule did not apply
tamis run --policy cabinet.rules --now message archive.mbox   # replay an archive at each message's date`,
}

func runRun(env *cliEnv, args []string) int {
	fs := newFlags("run")
	var trust trustFlags
	trust.register(fs)
	var lf layerFlags
	lf.register(fs)
	policyPath := fs.String("policy", "", "the policy `FILE` (.rules) to evaluate; required")
	from := fs.String("from", "", "the envelope sender `ADDR` (MAIL FROM); \"<>\" for a bounce; default: Return-Path or From")
	to := fs.String("to", "", "the envelope recipient `ADDR` (RCPT TO); default: the policy's mailbox or the first To")
	now := fs.String("now", "", "the delivery `TIME`, RFC 3339 (e.g. 2025-12-24T10:00:00+01:00), or \"message\" for each message's Date; default: the current time")
	state := fs.String("state", "", "a `FILE` remembering the absence replies sent, across runs")
	format := fs.String("format", "text", "output `format`: text or json")
	jobs := fs.Int("jobs", runtime.GOMAXPROCS(0), "read `N` messages in parallel")
	trace := fs.Bool("trace", false, "also show every rule and absence block evaluated, with each condition tested and its value")
	paths, code, ok := parseArgs(env, fs, runHelp, args)
	if !ok {
		return code
	}
	fail := func(format string, a ...any) int {
		env.p.Fprintf(env.stderr, "tamis run: %s\n", env.p.Sprintf(format, a...))
		return exitUsage
	}
	if !oneOf(env, "run", "format", *format, "text", "json") {
		return exitUsage
	}
	if *policyPath == "" {
		return fail("--policy FILE is required; run \"tamis run --help\"")
	}
	if len(paths) == 0 {
		return fail("no message given; name message files, a Maildir or an mbox")
	}
	if *jobs < 1 {
		return fail("--jobs must be at least 1")
	}
	var clock time.Time
	if *now != "" && *now != "message" {
		t, err := time.Parse(time.RFC3339, *now)
		if err != nil {
			return fail("--now %q is not an RFC 3339 time; write e.g. 2025-12-24T10:00:00+01:00", *now)
		}
		clock = t
	}
	inputs, err := collectInputs(paths)
	if err != nil {
		return fail("%s", err)
	}
	ts, err := trust.load(env, true)
	if err != nil {
		return fail("%s", err)
	}
	opts := engine.DefaultOptions()
	opts.Trust = ts
	// Without --state, replies are remembered for this run only.
	opts.Tracker = vacation.NewMemoryTracker(vacation.DefaultMaxPerMailbox)
	if *state != "" {
		tracker, err := vacation.OpenFileTracker(*state)
		if err != nil {
			return fail("open --state: %s", describeError(err))
		}
		defer tracker.Close()
		opts.Tracker = tracker
	}
	c, err := checkPolicy(*policyPath, opts)
	if err != nil {
		return fail("%s", err)
	}
	if len(c.diagnostics) > 0 {
		fmt.Fprint(env.stderr, env.p.RenderAll(c.diagnostics, map[string][]byte{c.path: c.src}))
	}
	if c.program == nil {
		return fail("%s has errors; fix them first (see \"tamis check %s\")", c.path, c.path)
	}

	r := &runner{
		env: env, prog: c.program, json: *format == "json",
		from: *from, to: *to, now: clock, nowFromMessage: *now == "message", trace: *trace,
	}
	if lf.set() {
		ls, err := lf.load(opts)
		if err != nil {
			return fail("%s", err)
		}
		for _, l := range ls.all() {
			if len(l.diagnostics) > 0 {
				fmt.Fprint(env.stderr, env.p.RenderAll(l.diagnostics, map[string][]byte{l.path: l.src}))
			}
		}
		if ls.hasErrors() {
			return fail("an operator layer has errors; fix them first (see \"tamis check\")")
		}
		prog, extra := ls.compile(c, opts)
		if len(extra) > 0 {
			fmt.Fprint(env.stderr, env.p.RenderAll(extra, ls.sources(c)))
		}
		if prog == nil {
			return fail("%s cannot run between these layers", c.path)
		}
		r.prog = prog
	}
	return r.run(inputs, *jobs)
}

// runner evaluates a batch of messages.
type runner struct {
	env      *cliEnv
	prog     *engine.Program
	json     bool
	from, to string
	now      time.Time
	// nowFromMessage takes each message's Date as the clock (--now
	// message), to replay an archive as it was delivered.
	nowFromMessage bool
	trace          bool
}

// run reads the inputs (see readBatch) and evaluates and prints them in
// input order.
func (r *runner) run(inputs []input, workers int) int {
	progress := newProgress(r.env.stderr, len(inputs))
	status := exitOK
	readBatch(inputs, workers, func(i int, p parsed) {
		in := inputs[i]
		progress.update(i + 1)
		if p.err != nil {
			progress.clear()
			r.env.p.Fprintf(r.env.stderr, "tamis run: %s: %v\n", in.name, p.err)
			status = exitUsage
			return
		}
		d, err := r.delivery(p.msg)
		if err != nil {
			progress.clear()
			r.env.p.Fprintf(r.env.stderr, "tamis run: %s: %v\n", in.name, err)
			status = exitUsage
			return
		}
		res := r.prog.Evaluate(context.Background(), d)
		progress.clear()
		if r.json {
			r.writeJSON(in.name, d, res)
		} else {
			r.writeText(in.name, d, res)
		}
		if (len(res.Errors) > 0 || len(res.Refused) > 0 || len(res.Damaged) > 0) && status == exitOK {
			status = exitFound
		}
	})
	progress.clear()
	return status
}

// delivery builds the envelope of a message from the flags and, where they
// are not given, from the message itself.
func (r *runner) delivery(m *message.Message) (engine.Delivery, error) {
	d := engine.Delivery{Message: m, EnvelopeFrom: r.from, EnvelopeTo: r.to, Time: r.now, Explain: true, Trace: r.trace}
	if d.EnvelopeFrom == "" {
		if rp := m.Header("Return-Path"); len(rp) > 0 {
			d.EnvelopeFrom = strings.Trim(strings.TrimSpace(rp[0]), "<>")
			if d.EnvelopeFrom == "" {
				d.EnvelopeFrom = "<>"
			}
		} else if a := m.Addresses("From"); len(a) > 0 {
			d.EnvelopeFrom = a[0].String()
		}
	}
	if d.EnvelopeTo == "" {
		if mb := r.prog.Mailbox(); mb != "" {
			d.EnvelopeTo = mb
		} else if a := m.Addresses("To"); len(a) > 0 {
			d.EnvelopeTo = a[0].String()
		}
	}
	switch {
	case r.nowFromMessage:
		t, err := messageDate(m)
		if err != nil {
			return d, err
		}
		d.Time = t
	case d.Time.IsZero():
		d.Time = time.Now()
	}
	return d, nil
}

func (r *runner) writeText(name string, d engine.Delivery, res engine.Result) {
	w, p := r.env.stdout, r.env.p
	from := d.EnvelopeFrom
	if from == "" || from == "<>" {
		from = p.Text("<> (null sender)")
	}
	p.Fprintf(w, "%s  (from %s, to %s, at %s)\n", name, from, d.EnvelopeTo, dayTime(p, d.Time.In(r.prog.Location()), "2006-01-02 15:04 MST"))
	if len(res.Actions) == 0 && len(res.Errors) == 0 && len(res.Refused) == 0 && len(res.Damaged) == 0 {
		p.Fprintln(w, "  no rule applied")
	}
	notices := 0
	for _, a := range res.Actions {
		if a.Kind == engine.ActionNotify && notices < len(res.Notices) {
			writeNotice(p, w, res.Notices[notices])
			notices++
			continue
		}
		p.Fprintf(w, "  %s\n", describeAction(a, res.Reply))
		p.Fprintf(w, "      why: %s %q (%s): %s\n", statementKind(a.Vacation), a.Rule, a.Range, because(p, a.Because))
		if a.Kind == engine.ActionReply && res.Reply != nil {
			for _, line := range replyText(res.Reply.Bytes) {
				fmt.Fprintln(w, strings.TrimRight("      | "+line, " "))
			}
		}
	}
	filed := false
	for _, a := range res.Actions {
		filed = filed || a.Kind == engine.ActionFileInto
	}
	switch {
	case res.ImplicitKeep:
		p.Fprintln(w, "  keep (implicit): the message is stored in the inbox")
	case !res.Kept() && !filed:
		p.Fprintln(w, "  not stored in this mailbox")
	}
	if s := res.Suppressed; s != nil {
		p.Fprintf(w, "  no reply (%s): %s\n", s.Code, p.Text(s.Reason))
	}
	for _, h := range res.HeldNotices {
		p.Fprintf(w, "  no notice to %q (%s): %s\n", h.To, h.Code, p.Text(h.Reason))
	}
	for _, f := range res.Refused {
		msg := p.Sprintf("  REFUSED %s to %q: %s (%s)", f.Kind, f.Target, p.Text(f.Reason), f.Code)
		if f.Suggestion != "" {
			msg += p.Sprintf("; did you mean %q?", f.Suggestion)
		}
		fmt.Fprintln(w, msg)
	}
	for _, d := range res.Damaged {
		if d.Field == "body" {
			p.Fprintf(w, "  NOT TESTED %s %q (%s): %s: the body could not be read: %v\n", statementKind(d.Vacation), d.Rule, d.Range, d.Condition, d.Err)
		} else {
			p.Fprintf(w, "  NOT TESTED %s %q (%s): %s: the %s field could not be read: %v\n", statementKind(d.Vacation), d.Rule, d.Range, d.Condition, d.Field, d.Err)
		}
	}
	if res.BodyTruncated {
		p.Fprintln(w, "  note: body tests read only the beginning of the body (message.Options.MaxBodyBytes)")
	}
	for _, err := range res.Errors {
		p.Fprintf(w, "  ERROR %v\n", evalErrorText(p, err))
	}
	writeWhyNot(w, p, res, "  ")
	if r.trace {
		p.Fprintln(w, "  trace:")
		fmt.Fprint(w, indent(traceText(p, res), "    "))
	}
}

// describeAction writes an action as in the policy language.
func describeAction(a engine.Action, reply *engine.OutgoingReply) string {
	if a.Kind == engine.ActionReply && reply != nil {
		return fmt.Sprintf("reply to %q subject %q", reply.To, reply.Subject)
	}
	return a.String()
}

// replyText returns the decoded body of a reply, line by line, so that the
// administrator reads what the sender will receive.
func replyText(raw []byte) []string {
	m, err := message.Parse(raw, message.DefaultOptions())
	if err != nil {
		return nil
	}
	text := strings.TrimRight(strings.Join(m.BodyText(), "\n"), "\r\n")
	return strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
}

// The JSON Lines output of run: one jsonMessage per message. Field names
// are stable and documented in docs/CLI.md.
type jsonMessage struct {
	Message      string         `json:"message"`
	Envelope     jsonEnvelope   `json:"envelope"`
	Actions      []jsonAction   `json:"actions"`
	ImplicitKeep bool           `json:"implicit_keep"`
	Kept         bool           `json:"kept"`
	Refused      []jsonRefused  `json:"refused"`
	Reply        *jsonReply     `json:"reply"`
	Suppressed   *jsonSuppressd `json:"reply_suppressed"`
	Notices      []jsonNotice   `json:"notices"`
	HeldNotices  []jsonHeld     `json:"notices_held"`
	Errors       []string       `json:"errors"`
	// Damaged lists the conditions not tested because they read a field
	// or a body the message did not give faithfully.
	Damaged       []jsonDamage `json:"damaged"`
	BodyTruncated bool         `json:"body_truncated"`
	// Explanations say what became of every statement, and why.
	Explanations []jsonExplanation `json:"explanations"`
	Trace        []jsonStep        `json:"trace,omitempty"`
}

// jsonDamage is a condition not tested on a damaged value.
type jsonDamage struct {
	Rule      string `json:"rule"`
	Position  string `json:"position"`
	Condition string `json:"condition"`
	Field     string `json:"field"`
	Problem   string `json:"problem"`
}

// jsonStep is a statement evaluated, with --trace.
type jsonStep struct {
	Statement  string          `json:"statement"` // rule or vacation
	Name       string          `json:"name"`
	Position   string          `json:"position"`
	Disabled   bool            `json:"disabled,omitempty"`
	InWindow   bool            `json:"in_window,omitempty"`
	Matched    bool            `json:"matched"`
	Stopped    bool            `json:"stopped,omitempty"`
	Indexed    bool            `json:"indexed,omitempty"`
	Conditions []jsonCondition `json:"conditions"`
}

// jsonCondition is a leaf condition tested, with --trace.
type jsonCondition struct {
	Condition string `json:"condition"`
	Position  string `json:"position"`
	Value     bool   `json:"value"`
}

type jsonEnvelope struct {
	From string `json:"from"`
	To   string `json:"to"`
	Time string `json:"time"`
}

type jsonAction struct {
	Action    string         `json:"action"`
	Target    string         `json:"target,omitempty"`
	Folder    string         `json:"folder,omitempty"`
	Reason    string         `json:"reason,omitempty"`
	Flags     []string       `json:"flags,omitempty"`
	Rule      string         `json:"rule"`
	Statement string         `json:"statement"`
	Position  string         `json:"position"`
	Because   []jsonEvidence `json:"because"`
}

type jsonRefused struct {
	Action     string `json:"action"`
	Target     string `json:"target"`
	Code       string `json:"code"`
	Reason     string `json:"reason"`
	Suggestion string `json:"suggestion,omitempty"`
	Rule       string `json:"rule"`
}

type jsonReply struct {
	To      string `json:"to"`
	From    string `json:"from"`
	Subject string `json:"subject"`
	Raw     string `json:"raw"`
	Rule    string `json:"rule"`
}

type jsonSuppressd struct {
	Code   string `json:"code"`
	Reason string `json:"reason"`
	Rule   string `json:"rule"`
}

func (r *runner) writeJSON(name string, d engine.Delivery, res engine.Result) {
	out := jsonMessage{
		Message:      name,
		Envelope:     jsonEnvelope{From: d.EnvelopeFrom, To: d.EnvelopeTo, Time: d.Time.Format(time.RFC3339)},
		Actions:      []jsonAction{},
		ImplicitKeep: res.ImplicitKeep,
		Kept:         res.Kept(),
		Refused:      []jsonRefused{},
		Notices:      []jsonNotice{},
		HeldNotices:  []jsonHeld{},
		Errors:       []string{},
		Damaged:      []jsonDamage{},
	}
	if out.Envelope.From == "<>" {
		out.Envelope.From = ""
	}
	for _, a := range res.Actions {
		ja := jsonAction{
			Action: a.Kind.String(), Folder: a.Folder, Reason: a.Reason, Flags: a.Flags,
			Rule: a.Rule, Statement: statementKind(a.Vacation), Position: a.Range.String(), Because: jsonEvidences(a.Because),
		}
		if !a.Target.IsZero() {
			ja.Target = a.Target.String()
		}
		if a.Kind == engine.ActionReply && res.Reply != nil {
			ja.Target = res.Reply.To
		}
		out.Actions = append(out.Actions, ja)
	}
	for _, f := range res.Refused {
		out.Refused = append(out.Refused, jsonRefused{
			Action: f.Kind.String(), Target: f.Target, Code: f.Code, Reason: f.Reason, Suggestion: f.Suggestion, Rule: f.Rule,
		})
	}
	if rep := res.Reply; rep != nil {
		out.Reply = &jsonReply{To: rep.To, From: rep.From, Subject: rep.Subject, Raw: string(rep.Bytes), Rule: rep.Rule}
	}
	if s := res.Suppressed; s != nil {
		out.Suppressed = &jsonSuppressd{Code: s.Code, Reason: s.Reason, Rule: s.Rule}
	}
	for _, n := range res.Notices {
		out.Notices = append(out.Notices, jsonNotice{To: n.To(), From: n.From(), Subject: n.Subject(), Raw: string(n.Bytes()), Rule: n.Rule})
	}
	notices := 0
	for j := range out.Actions {
		if out.Actions[j].Action == "notify" && notices < len(res.Notices) {
			out.Actions[j].Target = res.Notices[notices].To()
			notices++
		}
	}
	for _, h := range res.HeldNotices {
		out.HeldNotices = append(out.HeldNotices, jsonHeld{To: h.To, Code: h.Code, Reason: h.Reason, Rule: h.Rule})
	}
	for _, err := range res.Errors {
		out.Errors = append(out.Errors, err.Error())
	}
	for _, d := range res.Damaged {
		out.Damaged = append(out.Damaged, jsonDamage{Rule: d.Rule, Position: d.Range.String(), Condition: d.Condition, Field: d.Field, Problem: d.Err.Error()})
	}
	out.BodyTruncated = res.BodyTruncated
	out.Explanations = jsonExplanations(res)
	if r.trace {
		for _, s := range res.Trace {
			step := jsonStep{Statement: "rule", Name: s.Rule, Position: s.Range.String(), Disabled: s.Disabled,
				Matched: s.Matched, Stopped: s.Stopped, Indexed: s.Indexed, Conditions: []jsonCondition{}}
			if s.Vacation {
				step.Statement, step.InWindow = "vacation", s.InWindow
			}
			for _, c := range s.Conditions {
				step.Conditions = append(step.Conditions, jsonCondition{Condition: c.Condition, Position: c.Range.String(), Value: c.Matched})
			}
			out.Trace = append(out.Trace, step)
		}
	}
	enc := json.NewEncoder(r.env.stdout)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(out)
}

// progress draws "n/total" on a terminal's standard error, at most ten
// times a second, and nothing when standard error is not a terminal.
type progress struct {
	w     io.Writer
	total int
	last  time.Time
	shown bool
}

func newProgress(w io.Writer, total int) *progress {
	if total < 2 || !isTerminal(w) {
		return &progress{}
	}
	return &progress{w: w, total: total}
}

func (p *progress) update(n int) {
	if p.w == nil || time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	fmt.Fprintf(p.w, "\rtamis run: %d/%d messages", n, p.total)
	p.shown = true
}

func (p *progress) clear() {
	if p.w != nil && p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}

// traceText is Result.TraceString in p's language: each statement and the
// conditions it tested with their values. The trace of a case file is
// English, as its format is; this is the one "run --trace" shows.
func traceText(p *locale.Printer, res engine.Result) string {
	var b strings.Builder
	for _, s := range res.Trace {
		kind := "rule"
		if s.Vacation {
			kind = "vacation"
		}
		switch {
		case s.Indexed:
			b.WriteString(p.Sprintf("%s %q at %s: not matched (skipped by the from index)", kind, s.Rule, s.Range))
		case s.Disabled:
			b.WriteString(p.Sprintf("%s %q at %s: disabled, skipped", kind, s.Rule, s.Range))
		case s.Vacation && !s.InWindow:
			b.WriteString(p.Sprintf("%s %q at %s: outside its windows", kind, s.Rule, s.Range))
		case s.Matched && s.Stopped:
			b.WriteString(p.Sprintf("%s %q at %s: matched, stop", kind, s.Rule, s.Range))
		case s.Matched:
			b.WriteString(p.Sprintf("%s %q at %s: matched", kind, s.Rule, s.Range))
		default:
			b.WriteString(p.Sprintf("%s %q at %s: not matched", kind, s.Rule, s.Range))
		}
		b.WriteString("\n")
		for _, c := range s.Conditions {
			b.WriteString("    ")
			switch {
			case c.Damaged:
				b.WriteString(p.Sprintf("%s: not tested (damaged value)  (%s)", c.Condition, c.Range))
			case c.Matched:
				b.WriteString(p.Sprintf("%s: true  (%s)", c.Condition, c.Range))
			default:
				b.WriteString(p.Sprintf("%s: false  (%s)", c.Condition, c.Range))
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// evalErrorText says an evaluation error in p's language: its place and
// statement as they are, its message translated.
func evalErrorText(p *locale.Printer, err error) string {
	var ee *engine.EvalError
	if !errors.As(err, &ee) || ee.Err == nil {
		return p.Text(err.Error())
	}
	if ee.Rule == "" {
		return fmt.Sprintf("%s: %s", ee.Range, p.Text(ee.Err.Error()))
	}
	return fmt.Sprintf("%s: %q: %s", ee.Range, ee.Rule, p.Text(ee.Err.Error()))
}

// dayTime formats t with layout after its abbreviated day of the week, in
// p's language: "Tue 2025-07-15 09:30 CEST", "mar. 2025-07-15 09:30 CEST".
func dayTime(p *locale.Printer, t time.Time, layout string) string {
	var day string
	switch t.Weekday() {
	case time.Monday:
		day = p.Text("Mon")
	case time.Tuesday:
		day = p.Text("Tue")
	case time.Wednesday:
		day = p.Text("Wed")
	case time.Thursday:
		day = p.Text("Thu")
	case time.Friday:
		day = p.Text("Fri")
	case time.Saturday:
		day = p.Text("Sat")
	default:
		day = p.Text("Sun")
	}
	return day + " " + t.Format(layout)
}
