package oracle

import (
	"fmt"
	"strconv"
	"strings"
)

// Action kinds, as found in Action.Kind.
const (
	KindKeep     = "keep"     // store in INBOX ("keep", or fileinto "INBOX")
	KindFileInto = "fileinto" // store in another folder
	KindDiscard  = "discard"
	KindReject   = "reject"
	KindRedirect = "redirect"
	KindVacation = "vacation"
)

// Outcome is what Pigeonhole did with one message.
type Outcome struct {
	// Actions are the performed actions in Pigeonhole's order, after its
	// merging of duplicates. They are empty when the script failed (ExitCode
	// 1 or 89): Pigeonhole then performs none of them.
	Actions []Action
	// ImplicitKeep reports whether the message is stored in INBOX because no
	// action cancelled the implicit keep, or because the script failed at run
	// time. An explicit keep is an action of kind keep, not an implicit keep.
	ImplicitKeep bool
	// KeepFlags are the IMAP flags set on the implicitly kept message.
	KeepFlags []string
	// Vacation is the absence reply Pigeonhole planned, nil when there is
	// none (also the Actions entry of kind vacation).
	Vacation *VacationOutcome
	// Notices are the notifications (enotify, mailto) a -execute run sent
	// (Request.Execute), in order.
	Notices []SentNotice
	// Scripts is, for a run with Request.Before, the part of each script of
	// the sequence that ran, in order (the sequence ends at the first script
	// after which the implicit keep no longer holds; see the package
	// documentation). It is nil for a single script.
	Scripts []ScriptOutcome
	// ExitCode is sieve-test's exit code: 0 success, 1 runtime failure, 89
	// compile error.
	ExitCode int
	// Errors and Warnings are the error (or fatal) and warning lines of the
	// report run's stderr, whole, e.g. "script: line 2: error: reject/ereject
	// action conflicts with other action: …".
	Errors, Warnings []string
	// Stdout and Stderr are the report run's raw output.
	Stdout, Stderr string
	// ExecuteStdout and ExecuteStderr are the raw output of the -execute run,
	// empty when there was none.
	ExecuteStdout, ExecuteStderr string
}

// ScriptOutcome is what one script of a sequence did.
type ScriptOutcome struct {
	// Name is the script's file name as sieve-test printed it:
	// "before-1.sieve", "before-2.sieve"… for Request.Before, and
	// "script.sieve" for Request.Script.
	Name string
	// Actions are the actions this script added to the result.
	Actions []Action
	// ImplicitKeep reports whether the implicit keep still held after this
	// script; when it does not, the scripts after it do not run.
	ImplicitKeep bool
	// KeepFlags are the IMAP flags of the implicit keep at that point.
	KeepFlags []string
}

// Action is one performed action.
type Action struct {
	// Kind is one of keep, fileinto, discard, reject, redirect, vacation.
	Kind string
	// Folder is the folder of keep (INBOX) and fileinto.
	Folder string
	// Target is the redirect address, without angle brackets.
	Target string
	// Reason is the reject reason.
	Reason string
	// Copy is set when the action preserves the implicit keep (":copy").
	Copy bool
	// Flags are the IMAP flags added to a stored message.
	Flags []string
}

// String formats the action on one line, e.g. `redirect "a@b" :copy`.
func (a Action) String() string {
	var b strings.Builder
	b.WriteString(a.Kind)
	switch a.Kind {
	case KindKeep, KindFileInto:
		b.WriteString(" " + strconv.Quote(a.Folder))
	case KindRedirect:
		b.WriteString(" " + strconv.Quote(a.Target))
	case KindReject:
		b.WriteString(" " + strconv.Quote(a.Reason))
	case KindNotify:
		b.WriteString(" " + strconv.Quote(a.Target) + " " + strconv.Quote(a.Reason))
	}
	if a.Copy {
		b.WriteString(" :copy")
	}
	if len(a.Flags) > 0 {
		fmt.Fprintf(&b, " flags %q", a.Flags)
	}
	return b.String()
}

// VacationOutcome is the absence reply Pigeonhole planned and, with
// Request.Execute, what it decided to do with it.
type VacationOutcome struct {
	// Seconds is the period after which the same sender gets another reply
	// (":days" × 86400, at least one day).
	Seconds int64
	// Subject, From and Handle are as reported; an empty Subject or From
	// means the default.
	Subject, From, Handle string
	// Body is the reply text, with line ends normalised to "\n".
	Body string
	// Decided is set when the -execute run reported a decision.
	Decided bool
	// Sent reports whether the reply was sent (only meaningful if Decided).
	Sent bool
	// To is the address the reply was sent to, when Sent.
	To string
	// Reply is the reply as sent, when Sent: its subject (the default one
	// when the script gives none), From, In-Reply-To and text.
	Reply *SentReply
	// Reason is Pigeonhole's explanation when the reply was not sent, e.g.
	// "discarding vacation response to mailinglist recipient <x@…>".
	Reason string
}

// SuppressionCode maps Reason, Pigeonhole's explanation of a reply it did
// not send, to the code tamis gives the same cause (autoreply.Suppression
// Code), so that differential tests compare causes, not wording. An
// explanation it does not know gives "other: " and the explanation.
func (v *VacationOutcome) SuppressionCode() string {
	for _, m := range []struct{ fragment, code string }{
		{"auto-submitted", "auto-submitted"},
		{"mailinglist", "mailing-list"},
		{"precedence=", "precedence"},
		{"own address", "own-address"},
		{"no known (envelope) recipient address", "not-addressed"},
		{"system address", "system-sender"},
		{"duplicate", "already-replied"},
	} {
		if strings.Contains(v.Reason, m.fragment) {
			return m.code
		}
	}
	return "other: " + v.Reason
}

// Summary formats the outcome as a few stable lines, for test failures and
// logs: the exit code, each action, the implicit keep and the vacation
// decision.
func (o Outcome) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "exit %d\n", o.ExitCode)
	for _, a := range o.Actions {
		b.WriteString(a.String())
		b.WriteByte('\n')
	}
	if o.ImplicitKeep {
		b.WriteString("implicit keep\n")
	}
	if v := o.Vacation; v != nil && v.Decided {
		if v.Sent {
			fmt.Fprintf(&b, "vacation sent to %s\n", v.To)
		} else {
			fmt.Fprintf(&b, "vacation suppressed: %s\n", v.Reason)
		}
	}
	for _, e := range o.Errors {
		fmt.Fprintf(&b, "error: %s\n", e)
	}
	return b.String()
}
