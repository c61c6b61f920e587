package engine

import (
	"fmt"
	"strings"
	"time"

	"github.com/tamis-mss/tamis/engine/vacation"
	"github.com/tamis-mss/tamis/mssante"
	"github.com/tamis-mss/tamis/rules"
)

// ActionKind is the kind of an Action.
type ActionKind int

// Action kinds.
const (
	ActionKeep     ActionKind = iota // store in the inbox (an explicit keep)
	ActionDiscard                    // drop silently
	ActionReject                     // refuse, with Reason sent back to the sender
	ActionReroute                    // send to Target instead of this mailbox (Sieve redirect)
	ActionCopy                       // send a copy to Target (Sieve redirect :copy)
	ActionFileInto                   // store in Folder
	ActionFlag                       // add Flags to the stored message
	ActionReply                      // send the absence reply in Result.Reply
	ActionNotify                     // send an arrival notice of Result.Notices
)

// String returns the name of the kind: keep, discard, reject, reroute,
// copy, fileinto, flag, reply or notify.
func (k ActionKind) String() string {
	switch k {
	case ActionKeep:
		return "keep"
	case ActionDiscard:
		return "discard"
	case ActionReject:
		return "reject"
	case ActionReroute:
		return "reroute"
	case ActionCopy:
		return "copy"
	case ActionFileInto:
		return "fileinto"
	case ActionFlag:
		return "flag"
	case ActionReply:
		return "reply"
	case ActionNotify:
		return "notify"
	}
	return "invalid"
}

// MarshalText encodes the kind as its name, for JSON output.
func (k ActionKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Action is one thing the host must do with the message, with the rule (or
// absence block) and the source range that asked for it.
type Action struct {
	Kind ActionKind
	// Target is the destination of a reroute or copy, authorised against
	// the trust list current at evaluation.
	Target mssante.Target
	// Folder is the folder of a fileinto.
	Folder string
	// Reason is the text of a reject.
	Reason string
	// Flags are the IMAP flags of a flag action, merged over the policy.
	Flags []string
	// Rule is the name of the statement that produced the action.
	Rule string
	// Vacation is true when that statement is an absence block.
	Vacation bool
	// Range is the source of the action in the policy.
	Range rules.Range
	// Because lists, when the evaluation was explained (Delivery.Explain),
	// the conditions that made the statement apply, with the values they
	// compared: its window, for an absence block, then the conditions that
	// held (see Explanation.Conditions); empty for a statement without
	// condition. Nil when the evaluation was not explained.
	Because []Evidence
}

// String describes the action as written in the language, e.g.
// `copy to "x@y.mssante.fr"`.
func (a Action) String() string {
	switch a.Kind {
	case ActionReject:
		return fmt.Sprintf("reject %q", a.Reason)
	case ActionReroute:
		return fmt.Sprintf("reroute to %q", a.Target.String())
	case ActionCopy:
		return fmt.Sprintf("copy to %q", a.Target.String())
	case ActionFileInto:
		return fmt.Sprintf("file into %q", a.Folder)
	case ActionFlag:
		quoted := make([]string, len(a.Flags))
		for i, f := range a.Flags {
			quoted[i] = fmt.Sprintf("%q", f)
		}
		return "flag [" + strings.Join(quoted, ", ") + "]"
	}
	return a.Kind.String()
}

// Refused is a reroute or copy that the trust check refused at evaluation:
// nothing was sent for it and the implicit keep was restored.
type Refused struct {
	Kind       ActionKind // ActionReroute or ActionCopy
	Target     string     // the refused address
	Code       string     // mssante refusal code: outside-trust-space, patient-target…
	Reason     string
	Suggestion string
	Rule       string
	Range      rules.Range
}

// OutgoingReply is an absence reply the host must send: envelope sender
// "<>" (the null sender), envelope recipient To, and Bytes as the message.
type OutgoingReply struct {
	EnvelopeFrom string // always "": the null sender <>
	To           string // the envelope sender of the incoming message
	From         string // the From address of the reply
	Subject      string
	Bytes        []byte // the RFC 5322 message, CRLF line ends
	Rule         string
	Range        rules.Range
	Period       time.Duration // the period the tracker was asked for
	Key          vacation.Key  // the tracking key claimed
	// DryRun is true for the reply of a Delivery.DryRun evaluation: it was
	// built but not claimed, and must not be sent.
	DryRun bool
}

// CodeDamaged is the Suppressed code of a reply withheld because a field
// it depends on (recipients, auto-reply markers, media type, the header as
// a whole) could not be read faithfully.
const CodeDamaged = "damaged-message"

// Suppressed tells why an absence reply that applied was not sent.
type Suppressed struct {
	// Code is a vacation suppression code ("auto-submitted",
	// "mailing-list"…), "already-replied" when the tracker says a reply
	// was sent within the period, or CodeDamaged.
	Code   string
	Reason string
	Rule   string
	Range  rules.Range
}

// Step is one statement in the trace: whether it was evaluated, whether its
// condition held, and which leaf conditions were tested.
type Step struct {
	Rule     string
	Vacation bool // an absence block rather than a rule
	Range    rules.Range
	Disabled bool // skipped because it is disabled
	// InWindow is false for an absence block outside all its windows.
	InWindow bool
	Matched  bool // the statement applied: its actions ran
	// Conditions lists the leaf conditions tested, in order, each "not"
	// right after its operand; "all" and "any" stop at the first operand
	// that decides them, so the last one listed decided the outcome.
	Conditions []ConditionStep
	// Indexed is true for a rule that the "from is" index skipped: it was
	// not run, and Conditions holds its "from is" test, which no address
	// of the message satisfies.
	Indexed bool
	// Stopped is true when the statement ended the evaluation with "stop".
	Stopped bool
}

// ConditionStep is one condition tested (a leaf or a "not"), written as
// in the language.
type ConditionStep struct {
	Condition string
	Range     rules.Range
	Matched   bool
	// Damaged is true when the condition read a damaged value: it was not
	// tested, and its statement did not apply.
	Damaged bool
}

// EvalError is a runtime error attributed to a statement of the policy.
type EvalError struct {
	Rule  string
	Range rules.Range
	Err   error
}

// Error returns "file:line:col: rule "NAME": cause".
func (e *EvalError) Error() string {
	if e.Rule == "" {
		return fmt.Sprintf("%s: %v", e.Range, e.Err)
	}
	return fmt.Sprintf("%s: %q: %v", e.Range, e.Rule, e.Err)
}

// Unwrap returns the cause.
func (e *EvalError) Unwrap() error { return e.Err }

// Result is what to do with one message, and why.
type Result struct {
	// Actions are the merged actions in the order they were first
	// triggered. An explicit keep is an Action of kind keep.
	Actions []Action
	// ImplicitKeep reports whether the message must be stored in the inbox
	// because nothing cancelled the implicit keep (or an error or a refused
	// target restored it). As in Pigeonhole it is false when an explicit
	// keep action stores the message anyway: see Kept.
	ImplicitKeep bool
	// Reply is the absence reply to send, or nil.
	Reply *OutgoingReply
	// Suppressed tells why an absence reply that applied was not sent.
	Suppressed *Suppressed
	// Notices are the arrival notices to send, one per ActionNotify of
	// Actions, in the same order.
	Notices []Notice
	// HeldNotices tells why notices that applied were not sent.
	HeldNotices []HeldNotice
	// Refused lists the reroute and copy targets refused at evaluation.
	Refused []Refused
	// Errors lists what went wrong; when it is not empty the result is the
	// fail-safe one: the implicit keep and no other action.
	Errors []error
	// Trace lists the statements evaluated, when Options.Trace or
	// Delivery.Trace is set, in source order: those run, the disabled
	// ones and those the "from is" index skipped, up to the one that
	// stopped the evaluation.
	Trace []Step
	// Explanations say, when Options.Explain or Delivery.Explain is set,
	// what became of every statement and why, in source order: applied
	// (with the conditions that held), not applied (with the condition
	// that failed and the value seen), disabled, outside its windows,
	// damaged, or not reached after a stop; for a statement with a reply
	// that applied, why no reply was sent (ShadowedBy, Suppressed). A
	// layer that did not run has none. Nil in a fail-safe result.
	Explanations []Explanation
	// Damaged lists the conditions that read a header field or a body the
	// message did not give faithfully (a malformed Cc, an unknown
	// charset…): their statements did not apply, and the implicit keep
	// holds. The other statements ran as usual.
	Damaged []Damage
	// BodyTruncated reports that body tests read only the first
	// message.Options.MaxBodyBytes of the text.
	BodyTruncated bool
}

// Kept reports whether the message is stored in the inbox, implicitly or by
// an explicit keep.
func (r Result) Kept() bool {
	if r.ImplicitKeep {
		return true
	}
	for _, a := range r.Actions {
		if a.Kind == ActionKeep {
			return true
		}
	}
	return false
}

// String is Summary.
func (r Result) String() string { return r.Summary() }

// Summary describes the result one line per fact: each action with the
// statement and position that produced it, the implicit keep, the reply,
// suppressed replies, refusals and errors.
func (r Result) Summary() string {
	var b strings.Builder
	notices := 0
	for _, a := range r.Actions {
		fmt.Fprintf(&b, "%s", a)
		if a.Kind == ActionReply && r.Reply != nil {
			fmt.Fprintf(&b, " to %q", r.Reply.To)
		}
		if a.Kind == ActionNotify && notices < len(r.Notices) {
			fmt.Fprintf(&b, " %q", r.Notices[notices].To())
			notices++
		}
		fmt.Fprintf(&b, "  (%s)\n", origin(a.Rule, a.Range))
	}
	if r.ImplicitKeep {
		b.WriteString("implicit keep\n")
	}
	if s := r.Suppressed; s != nil {
		fmt.Fprintf(&b, "no reply: %s: %s  (%s)\n", s.Code, s.Reason, origin(s.Rule, s.Range))
	}
	for _, h := range r.HeldNotices {
		fmt.Fprintf(&b, "no notice to %q: %s: %s  (%s)\n", h.To, h.Code, h.Reason, origin(h.Rule, h.Range))
	}
	for _, f := range r.Refused {
		fmt.Fprintf(&b, "refused %s to %q: %s: %s", f.Kind, f.Target, f.Code, f.Reason)
		if f.Suggestion != "" {
			fmt.Fprintf(&b, " (did you mean %q?)", f.Suggestion)
		}
		fmt.Fprintf(&b, "  (%s)\n", origin(f.Rule, f.Range))
	}
	for _, d := range r.Damaged {
		fmt.Fprintf(&b, "damaged: %s\n", d)
	}
	for _, err := range r.Errors {
		fmt.Fprintf(&b, "error: %v\n", err)
	}
	return b.String()
}

// TraceString describes the trace one line per statement, then one
// indented line per leaf condition.
func (r Result) TraceString() string {
	var b strings.Builder
	for _, s := range r.Trace {
		kind := "rule"
		if s.Vacation {
			kind = "vacation"
		}
		state := "not matched"
		switch {
		case s.Indexed:
			state = "not matched (skipped by the from index)"
		case s.Disabled:
			state = "disabled, skipped"
		case s.Vacation && !s.InWindow:
			state = "outside its windows"
		case s.Matched && s.Stopped:
			state = "matched, stop"
		case s.Matched:
			state = "matched"
		}
		fmt.Fprintf(&b, "%s %q at %s: %s\n", kind, s.Rule, s.Range, state)
		for _, c := range s.Conditions {
			mark := "false"
			switch {
			case c.Damaged:
				mark = "not tested (damaged value)"
			case c.Matched:
				mark = "true"
			}
			fmt.Fprintf(&b, "    %s: %s  (%s)\n", c.Condition, mark, c.Range)
		}
	}
	return b.String()
}

func origin(rule string, r rules.Range) string {
	if rule == "" {
		return r.String()
	}
	return fmt.Sprintf("%q at %s", rule, r)
}
