package engine

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/mssante"
)

// ErrNoMessage is reported when a Delivery has no Message.
var ErrNoMessage = errors.New("delivery has no message")

// ErrNoTracker is reported when an absence reply must be claimed and
// neither Options.Tracker nor Delivery.Tracker is set: the message is kept
// and no reply is sent.
var ErrNoTracker = errors.New("no reply tracker: set Options.Tracker or Delivery.Tracker")

// PanicError is the error of an evaluation that panicked (a bug, or a
// Message implementation that panics); the message was kept.
type PanicError struct {
	File  string // the policy
	Value any    // what was passed to panic
	Stack []byte // the goroutine's stack at the panic, for the host's logs
}

// Error returns a one-line description; the stack is in Stack.
func (e *PanicError) Error() string {
	return fmt.Sprintf("internal error while evaluating %s: %v", e.File, e.Value)
}

// maxLookups bounds the index lookups of one evaluation (one per From
// address, plus the envelope sender); a message with more From addresses is
// evaluated sequentially, which gives the same result.
const maxLookups = 16

// ctxCheckEvery is how many statements run between two checks of the
// context.
const ctxCheckEvery = 64

// evalState is the scratch space of one evaluation. It is pooled so that
// the keep path does not allocate.
type evalState struct {
	p   *Program
	ctx context.Context
	d   Delivery
	// envFrom is the envelope sender without its angle brackets, read
	// once per evaluation.
	envFrom string
	now     time.Time
	loc     time.Time // now in the policy's zone, when haveLoc
	list    *mssante.List

	haveLoc bool
	cancel  bool // the implicit keep was cancelled
	trace   bool
	err     error
	visited int
	// scoped is set when the message has problems and says which part
	// each concerns: conditions that read a damaged part do not apply
	// (see damage.go). stmt is the statement being run.
	scoped      ScopedProblems
	stmt        *statement
	stmtDamaged bool
	truncated   bool
	damage      []Damage
	// work counts the condition nodes evaluated and scanned the bytes
	// matched, against Options.MaxSteps and Options.MaxScanBytes.
	work    int
	scanned int64

	acts   []*compiledAction // triggered actions after merging, in order
	reject *compiledAction
	reply  *compiledAction // the pending absence reply (kind ActionReply)

	// Per-evaluation caches of the message's header values and addresses,
	// by the program's slots: each field is looked up once.
	hdrs   [][]string
	hdrOK  []bool
	addrs  [][]message.Address
	addrOK []bool
	folds  foldCache // folded header values, by slot

	scratch []byte // folding
	addrBuf []byte // local@domain of a message address
	lists   [][]int32
	pos     []int

	// Recording, for Trace and Explain: the statements run, then (after
	// each program's run) the trace steps and explanations in source
	// order.
	record    bool
	explain   bool
	visits    []visit
	conds     []ConditionStep
	nodes     []nodeResult
	steps     []Step
	expls     []Explanation
	explStmts []*statement
}

var statePool = sync.Pool{New: func() any {
	return &evalState{
		scratch: make([]byte, 0, 256),
		addrBuf: make([]byte, 0, 256),
		acts:    make([]*compiledAction, 0, 8),
		lists:   make([][]int32, 0, maxLookups+1),
		pos:     make([]int, maxLookups+1),
	}
}}

func (s *evalState) release() {
	s.p, s.ctx, s.d, s.list, s.err, s.envFrom = nil, nil, Delivery{}, nil, nil, ""
	s.reject, s.reply = nil, nil
	clear(s.acts)
	s.acts = s.acts[:0]
	clear(s.lists)
	s.lists = s.lists[:0]
	clear(s.hdrs)
	clear(s.addrs)
	// The visits are the state's own (the trace and the explanations copy
	// what they return), so their array is kept for the next evaluation.
	clear(s.visits)
	s.visits = s.visits[:0]
	if cap(s.visits) > 1024 {
		s.visits = nil
	}
	s.steps, s.conds, s.nodes, s.expls, s.explStmts = nil, nil, nil, nil, nil
	s.scoped, s.stmt, s.damage = nil, nil, nil
	if cap(s.scratch) > 4096 {
		s.scratch = make([]byte, 0, 256)
	}
	if cap(s.addrBuf) > 4096 {
		s.addrBuf = make([]byte, 0, 256)
	}
	statePool.Put(s)
}

// Evaluate decides what to do with one delivery. It is safe for concurrent
// use. It never panics and never loses the message: on any error (a message
// with problems, a runtime conflict, a tracker failure, a cancelled ctx, a
// panic) the result is the implicit keep with the errors and no other
// action. When the outcome is the implicit keep alone it does not allocate.
func (p *Program) Evaluate(ctx context.Context, d Delivery) (res Result) {
	s := statePool.Get().(*evalState)
	defer func() {
		if r := recover(); r != nil {
			res = failSafe(s.steps, &PanicError{File: p.file, Value: r, Stack: debug.Stack()})
		}
		s.release()
	}()
	if ctx == nil {
		ctx = context.Background()
	}
	s.p, s.ctx, s.d, s.trace = p, ctx, d, p.opts.Trace || d.Trace
	s.explain = p.opts.Explain || d.Explain
	s.record = s.trace || s.explain
	s.envFrom = envelopeAddress(d.EnvelopeFrom)
	s.cancel, s.haveLoc, s.visited, s.work, s.scanned = false, false, 0, 0, 0
	if d.Message == nil {
		return failSafe(nil, ErrNoMessage)
	}
	s.stmtDamaged, s.truncated = false, false
	if probs := d.Message.Problems(); len(probs) > 0 {
		if sp, ok := d.Message.(ScopedProblems); ok {
			s.scoped = sp // only what a problem concerns is unreliable
		}
	}
	if probs := d.Message.Problems(); len(probs) > 0 && s.scoped == nil {
		errs := make([]error, len(probs))
		for i, e := range probs {
			errs[i] = fmt.Errorf("message not filtered, kept: %w", e)
		}
		return Result{ImplicitKeep: true, Errors: errs}
	}
	if err := ctxErr(ctx); err != nil {
		return failSafe(nil, fmt.Errorf("evaluation not started: %w", err))
	}
	s.resetCaches(len(p.headerNames), len(p.addressNames))
	s.now = d.Time
	if s.now.IsZero() {
		s.now = p.opts.Now()
	}
	s.list = p.opts.Trust.List()

	if p.layers != nil {
		s.runLayers(p)
	} else {
		s.run()
	}
	if s.err != nil {
		return failSafe(s.steps, s.err)
	}
	return s.finish()
}

// failSafe is the result of an evaluation that went wrong: keep the
// message, do nothing else, say why.
func failSafe(steps []Step, errs ...error) Result {
	return Result{ImplicitKeep: true, Errors: errs, Trace: steps}
}

// run executes the statements of s.p in order, visiting only those the
// index leaves possible; when recording, it then completes the trace and
// the explanations with the statements it did not visit. Recording does
// not change which statements run.
func (s *evalState) run() {
	if !s.record {
		s.runIndexed()
		return
	}
	start := len(s.visits)
	s.runIndexed()
	s.complete(s.p, start)
}

// runIndexed executes the statements in order, visiting only those the
// index leaves possible.
func (s *evalState) runIndexed() {
	p := s.p
	if p.fromIndex == nil && p.envIndex == nil || s.scoped != nil {
		// A damaged message is evaluated sequentially, so that every rule
		// that reads a damaged field is reported.
		s.runList(p.enabled)
		return
	}
	s.lists = append(s.lists[:0], p.plain)
	if p.envIndex != nil {
		if l, ok := p.envIndex[string(s.foldInto(s.envFrom))]; ok {
			s.lists = append(s.lists, l)
		}
	}
	if p.fromIndex != nil {
		for _, a := range s.addresses(slotFrom) {
			if len(s.lists) == maxLookups {
				s.runList(p.enabled) // too many From addresses: sequential
				return
			}
			if l, ok := p.fromIndex[string(s.foldInto(s.addressValue(a)))]; ok {
				s.lists = append(s.lists, l)
			}
		}
	}
	if len(s.lists) == 1 {
		s.runList(p.plain)
		return
	}
	// Merge the sorted lists, visiting each statement once, in order.
	pos := s.pos[:len(s.lists)]
	clear(pos)
	last := int32(-1)
	for {
		best, bv := -1, int32(0)
		for i, l := range s.lists {
			if pos[i] < len(l) && (best < 0 || l[pos[i]] < bv) {
				best, bv = i, l[pos[i]]
			}
		}
		if best < 0 {
			return
		}
		pos[best]++
		if bv == last {
			continue
		}
		last = bv
		if s.exec(p.stmts[bv]) {
			return
		}
	}
}

func (s *evalState) runList(order []int32) {
	for _, i := range order {
		if s.exec(s.p.stmts[i]) {
			return
		}
	}
}

// exec runs one statement and reports whether the evaluation ends (stop or
// error).
func (s *evalState) exec(st *statement) (end bool) {
	if s.visited++; s.visited%ctxCheckEvery == 0 {
		if err := ctxErr(s.ctx); err != nil {
			s.err = fmt.Errorf("evaluation interrupted: %w", err)
			return true
		}
	}
	var v *visit
	if s.record {
		s.visits = append(s.visits, visit{st: st, inWindow: true})
		v = &s.visits[len(s.visits)-1]
		s.conds, s.nodes = nil, nil
		defer func() { v.conds, v.nodes, v.damaged = s.conds, s.nodes, s.stmtDamaged }()
	}
	if st.disabled {
		return false
	}
	s.stmt, s.stmtDamaged = st, false
	if st.vacation && len(st.windows) > 0 {
		in := false
		for _, w := range st.windows {
			if w.contains(s.now) {
				in = true
				break
			}
		}
		if !in {
			if v != nil {
				v.inWindow = false
			}
			return false
		}
	}
	if st.cond != nil && !s.eval(st.cond) || s.stmtDamaged {
		return false // a statement that read a damaged value does not apply
	}
	if v != nil {
		v.matched = true
	}
	if st.absence != nil && st.replyAct != nil {
		s.apply(st.replyAct)
	}
	for _, a := range st.actions {
		if s.err != nil {
			return true
		}
		if a.stop {
			if v != nil {
				v.stopped = true
			}
			return true
		}
		s.apply(a)
	}
	return s.err != nil
}

func (s *evalState) conflict(a *compiledAction, format string, args ...any) {
	s.err = &EvalError{Rule: a.stmt.name, Range: a.rng.Range(), Err: fmt.Errorf(format, args...)}
}

// apply adds an action to the result, merging it with an earlier one of the
// same effect, and records conflicts with reject.
func (s *evalState) apply(a *compiledAction) {
	if s.reject != nil && a.kind != ActionDiscard && a.kind != ActionFlag && a.kind != ActionNotify {
		if a.kind == ActionReject {
			s.conflict(a, "a second reject (the first is at %s)", s.reject.rng.Range())
		} else {
			s.conflict(a, "%s conflicts with the reject at %s: a rejected message is not delivered", actionWords(a.kind), s.reject.rng.Range())
		}
		return
	}
	switch a.kind {
	case ActionKeep:
		if s.storesInbox() {
			return
		}
	case ActionDiscard:
		if s.find(ActionDiscard, "", "") != nil {
			return
		}
		s.cancel = true
	case ActionReject:
		for _, b := range s.acts {
			switch b.kind {
			case ActionKeep, ActionFileInto, ActionReroute, ActionCopy, ActionReply:
				s.conflict(a, "reject conflicts with the %s at %s: the message is already delivered or answered", actionWords(b.kind), b.rng.Range())
				return
			}
		}
		s.reject, s.cancel = a, true
	case ActionReroute, ActionCopy:
		t := a.target.String()
		for _, b := range s.acts {
			if (b.kind == ActionReroute || b.kind == ActionCopy) && b.target.String() == t {
				// copy then reroute: one redirect that keeps; reroute then
				// copy: one plain redirect (Pigeonhole's merging).
				return
			}
		}
		if a.kind == ActionReroute {
			s.cancel = true
		}
	case ActionFileInto:
		s.cancel = true
		if s.find(ActionFileInto, a.folder, "") != nil || isInbox(a.folder) && s.storesInbox() {
			return
		}
	case ActionReply:
		if s.reply != nil {
			return // one reply per message: the first one that applies
		}
		s.reply = a
	case ActionNotify:
		if s.hasNotice(a) {
			return
		}
	}
	s.acts = append(s.acts, a)
}

func (s *evalState) find(kind ActionKind, folder, target string) *compiledAction {
	for _, b := range s.acts {
		if b.kind == kind && b.folder == folder && b.target.String() == target {
			return b
		}
	}
	return nil
}

// storesInbox reports whether an explicit keep or a file into the inbox
// was triggered: both are the same store, merged as Pigeonhole does.
func (s *evalState) storesInbox() bool {
	for _, b := range s.acts {
		if b.kind == ActionKeep || b.kind == ActionFileInto && isInbox(b.folder) {
			return true
		}
	}
	return false
}

// isInbox reports whether folder names the inbox, whose name IMAP compares
// without case.
func isInbox(folder string) bool { return strings.EqualFold(folder, "INBOX") }

func actionWords(k ActionKind) string {
	switch k {
	case ActionReroute:
		return "reroute to"
	case ActionCopy:
		return "copy to"
	case ActionFileInto:
		return "file into"
	}
	return k.String()
}

// finish checks the redirect limit and the trust of every target, decides
// the absence reply and builds the result.
func (s *evalState) finish() Result {
	if len(s.acts) == 0 {
		return Result{ImplicitKeep: true, Trace: s.steps, Explanations: s.expls, Damaged: s.damage, BodyTruncated: s.truncated}
	}
	p := s.p
	redirects := 0
	for _, a := range s.acts {
		if a.kind == ActionReroute || a.kind == ActionCopy {
			if redirects++; redirects > p.opts.MaxRedirects {
				return failSafe(s.steps, &EvalError{Rule: a.stmt.name, Range: a.rng.Range(),
					Err: fmt.Errorf("more than %d reroute and copy targets for one message", p.opts.MaxRedirects)})
			}
		}
	}

	res := Result{Actions: make([]Action, 0, len(s.acts)), Trace: s.steps, Explanations: s.expls, Damaged: s.damage, BodyTruncated: s.truncated}
	var self []string
	restore := false
	for _, a := range s.acts {
		if a.kind == ActionReroute || a.kind == ActionCopy {
			t := a.target
			if s.list != p.list || p.layers != nil || s.deliverySelf(t) {
				// Authorised again, against the current list and every
				// address of the holder: a refused target is reported.
				if self == nil {
					self = append(p.self(envelopeAddress(s.d.EnvelopeTo)), s.d.Addresses...)
				}
				var err error
				t, err = s.list.Authorize(a.target.String(), self...)
				if err != nil {
					res.Refused = append(res.Refused, refusedOf(a, err))
					restore = true
					continue
				}
			}
			res.Actions = append(res.Actions, s.action(a, Action{Kind: a.kind, Target: t}))
			continue
		}
		switch a.kind {
		case ActionFlag:
			if i := flagIndex(res.Actions); i >= 0 {
				res.Actions[i].Flags = mergeFlags(res.Actions[i].Flags, a.flags)
				continue
			}
			res.Actions = append(res.Actions, s.action(a, Action{Kind: ActionFlag, Flags: mergeFlags(nil, a.flags)}))
		case ActionReply:
			reply, sup, err := s.sendReply(a)
			if err != nil {
				return failSafe(s.steps, &EvalError{Rule: a.stmt.name, Range: a.rng.Range(), Err: err})
			}
			if sup != nil {
				res.Suppressed = sup
				if e := s.explanationOf(a.stmt); e != nil {
					e.Suppressed = sup
				}
				continue
			}
			res.Reply = reply
			res.Actions = append(res.Actions, s.action(a, Action{Kind: ActionReply}))
		case ActionNotify:
			n, held, err := s.sendNotice(a)
			if err != nil {
				return failSafe(s.steps, &EvalError{Rule: a.stmt.name, Range: a.rng.Range(), Err: err})
			}
			if held != nil {
				res.HeldNotices = append(res.HeldNotices, *held)
				continue
			}
			res.Notices = append(res.Notices, n)
			res.Actions = append(res.Actions, s.action(a, Action{Kind: ActionNotify}))
		default:
			res.Actions = append(res.Actions, s.action(a, Action{Kind: a.kind, Folder: a.folder, Reason: a.reason}))
		}
	}
	if len(res.Actions) == 0 {
		res.Actions = nil // nothing happens: as on the keep path
	}
	res.ImplicitKeep = !s.cancel || restore || len(s.damage) > 0
	for _, a := range res.Actions {
		if a.Kind == ActionKeep {
			res.ImplicitKeep = false // the explicit keep stores the message
		}
	}
	return res
}

// action completes out with the statement and position of a, and why it
// applied when explaining.
func (s *evalState) action(a *compiledAction, out Action) Action {
	out.Rule, out.Vacation, out.Range = a.stmt.name, a.stmt.vacation, a.rng.Range()
	out.Because = s.because(a.stmt)
	return out
}

// deliverySelf reports whether t may be one of the holder's addresses that
// Compile did not know: the envelope recipient when the policy names no
// mailbox, and the delivery's Addresses. Compile authorised t against the
// trust list and the policy's own addresses; when the list is unchanged
// only these can refuse it, and comparing them is much cheaper than
// authorising t again. A non-ASCII address, which mssante compares after
// normalisation, answers true so that Authorize decides.
func (s *evalState) deliverySelf(t mssante.Target) bool {
	a := t.Address()
	if s.p.mailbox == "" && mayBeMailbox(a, envelopeAddress(s.d.EnvelopeTo)) {
		return true
	}
	for _, own := range s.d.Addresses {
		if mayBeMailbox(a, own) {
			return true
		}
	}
	return false
}

// mayBeMailbox reports whether own may designate the mailbox of a: the
// same domain and local part without case and "+detail", as
// mssante.Authorize compares them, or an address that is not plain ASCII.
func mayBeMailbox(a mssante.Address, own string) bool {
	own = trimSpace(own)
	if own == "" {
		return false
	}
	if !isASCII(own) {
		return true
	}
	local, domain := splitAddress(envelopeAddress(own))
	return strings.EqualFold(domain, a.Domain) && strings.EqualFold(baseLocal(local), baseLocal(a.Local))
}

// baseLocal is a local part without its "+detail".
func baseLocal(local string) string {
	if i := strings.IndexByte(local, '+'); i > 0 {
		return local[:i]
	}
	return local
}

func refusedOf(a *compiledAction, err error) Refused {
	f := Refused{Kind: a.kind, Target: a.target.String(), Rule: a.stmt.name, Range: a.rng.Range(), Reason: err.Error()}
	var ref *mssante.Refusal
	if errors.As(err, &ref) {
		f.Code, f.Reason, f.Suggestion = ref.Code, ref.Reason, ref.Suggestion
	}
	return f
}

func flagIndex(as []Action) int {
	for i, a := range as {
		if a.Kind == ActionFlag {
			return i
		}
	}
	return -1
}

// mergeFlags adds the flags of add missing from flags, compared without
// case as IMAP does.
func mergeFlags(flags, add []string) []string {
	for _, f := range add {
		dup := false
		for _, g := range flags {
			if strings.EqualFold(f, g) {
				dup = true
				break
			}
		}
		if !dup {
			flags = append(flags, f)
		}
	}
	return flags
}

// envelopeAddress strips the angle brackets of an SMTP path; "<>" is "".
func envelopeAddress(s string) string {
	s = trimSpace(s)
	if len(s) >= 2 && s[0] == '<' && s[len(s)-1] == '>' {
		s = s[1 : len(s)-1]
	}
	return s
}

// addressValue returns local@domain for a (the local part alone without a
// domain), built in s.addrBuf without allocating. The string is valid until
// the next call.
func (s *evalState) addressValue(a message.Address) string {
	if a.Domain == "" {
		return a.Local
	}
	b := append(s.addrBuf[:0], a.Local...)
	b = append(b, '@')
	b = append(b, a.Domain...)
	s.addrBuf = b
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// foldInto folds v into s.scratch and returns it, for index lookups.
func (s *evalState) foldInto(v string) []byte {
	s.scratch = appendFold(s.scratch[:0], v)
	return s.scratch
}

// localTime returns the delivery time in the policy's zone.
func (s *evalState) localTime() time.Time {
	if !s.haveLoc {
		s.loc, s.haveLoc = s.now.In(s.p.loc), true
	}
	return s.loc
}

func (s *evalState) resetCaches(nh, na int) {
	if len(s.hdrs) < nh {
		s.hdrs, s.hdrOK = make([][]string, nh), make([]bool, nh)
	}
	if len(s.addrs) < na {
		s.addrs, s.addrOK = make([][]message.Address, na), make([]bool, na)
	}
	clear(s.hdrOK)
	clear(s.addrOK)
	s.folds.reset(nh)
}

// values returns the values of the header field of the slot.
func (s *evalState) values(slot int) []string {
	if !s.hdrOK[slot] {
		s.hdrs[slot], s.hdrOK[slot] = s.d.Message.Header(s.p.headerNames[slot]), true
	}
	return s.hdrs[slot]
}

// addresses returns the addresses of the address field of the slot.
func (s *evalState) addresses(slot int) []message.Address {
	if !s.addrOK[slot] {
		s.addrs[slot], s.addrOK[slot] = s.d.Message.Addresses(s.p.addressNames[slot]), true
	}
	return s.addrs[slot]
}
