package casetest

import (
	"bytes"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/internal/oracle"
	"github.com/tamis-mss/tamis/rules"
)

// The comparison form: tamis's result and Pigeonhole's outcome are both
// written as a list of lines, in this order, and compared line by line:
//
//	keep | fileinto "F" | discard | reject "R" | redirect "T" [:copy]
//	                                  the actions, in order, vacation excepted;
//	                                  a store into INBOX (keep, or file into
//	                                  "INBOX") is "keep", as Pigeonhole has it
//	vacation planned                  without execute: a reply applies
//	vacation sent to ADDR             with execute: the reply is sent
//	vacation suppressed (CODE)        with execute: the reply is not sent
//	vacation every Ns subject "S"     the reply's period and subject, and
//	vacation text "T"                 its text, when one is planned or sent
//	vacation from A in reply to <ID>  with execute: the sent reply's From
//	                                  ("NAME" <A> with a display name)
//	                                  and In-Reply-To
//	refused redirect "T" [:copy] (CODE)   tamis only: refused at evaluation
//	runtime error                     the evaluation failed (message kept)
//	implicit keep
//	compile error (CODES)             tamis only: the policy does not compile
//
// A store (keep, fileinto, implicit keep) carries " flags F1 F2" when IMAP
// flags are set on it. Redirect targets have their domain lower-cased:
// Pigeonhole prints the form it saw first, tamis the normalised one; both
// compare domains without case.

// PigeonholeLines writes Pigeonhole's outcome in the comparison form;
// execute tells whether the outcome holds the -execute decision.
func PigeonholeLines(o oracle.Outcome, execute bool) []string {
	var lines []string
	for _, a := range o.Actions {
		switch a.Kind {
		case oracle.KindKeep:
			lines = append(lines, "keep"+flagSuffix(a.Flags))
		case oracle.KindFileInto:
			lines = append(lines, fmt.Sprintf("fileinto %q", a.Folder)+flagSuffix(a.Flags))
		case oracle.KindDiscard:
			lines = append(lines, "discard")
		case oracle.KindReject:
			lines = append(lines, fmt.Sprintf("reject %q", a.Reason))
		case oracle.KindRedirect:
			lines = append(lines, redirectLine(a.Target, a.Copy))
		case oracle.KindVacation:
			continue
		case oracle.KindNotify:
			for to := range strings.SplitSeq(a.Target, ", ") {
				lines = append(lines, fmt.Sprintf("notify %q", to))
			}
		default:
			lines = append(lines, "unexpected "+a.String())
		}
	}
	if v := o.Vacation; v != nil {
		switch {
		case !execute:
			lines = append(lines, "vacation planned",
				fmt.Sprintf("vacation every %ds subject %q", v.Seconds, v.Subject), replyTextLine(v.Body))
		case v.Sent && v.Reply != nil:
			// The reply as sent: its subject is the default one when the
			// script gives none.
			lines = append(lines, "vacation sent to "+v.To,
				fmt.Sprintf("vacation every %ds subject %q", v.Seconds, v.Reply.Subject), replyTextLine(v.Body),
				replyHeaderLine(v.Reply.FromName, v.Reply.From, v.Reply.InReplyTo))
		case v.Sent:
			lines = append(lines, "vacation sent to "+v.To+" (reply not printed)")
		default:
			lines = append(lines, "vacation suppressed ("+v.SuppressionCode()+")")
		}
	}
	if o.ExitCode == oracle.ExitRuntimeError {
		lines = append(lines, "runtime error")
	}
	if o.ImplicitKeep {
		lines = append(lines, "implicit keep"+flagSuffix(o.KeepFlags))
	}
	return lines
}

// EngineLines writes the engine's result in the comparison form; execute
// tells whether to compare with Pigeonhole's -execute decision.
func EngineLines(res engine.Result, execute bool) []string {
	// The engine's flag action applies to the message wherever it is stored.
	var flags []string
	for _, a := range res.Actions {
		if a.Kind == engine.ActionFlag {
			flags = append(flags, a.Flags...)
		}
	}
	var lines []string
	notices := 0
	for _, a := range res.Actions {
		switch a.Kind {
		case engine.ActionNotify:
			if notices < len(res.Notices) {
				lines = append(lines, fmt.Sprintf("notify %q", res.Notices[notices].To()))
				notices++
			}
		case engine.ActionKeep:
			lines = append(lines, "keep"+flagSuffix(flags))
		case engine.ActionFlag, engine.ActionReply:
			continue
		case engine.ActionFileInto:
			if a.Folder == "INBOX" {
				// Stored where keep stores: Pigeonhole reports both alike.
				lines = append(lines, "keep"+flagSuffix(flags))
				break
			}
			lines = append(lines, fmt.Sprintf("fileinto %q", a.Folder)+flagSuffix(flags))
		case engine.ActionDiscard:
			lines = append(lines, "discard")
		case engine.ActionReject:
			lines = append(lines, fmt.Sprintf("reject %q", a.Reason))
		case engine.ActionReroute, engine.ActionCopy:
			lines = append(lines, redirectLine(a.Target.String(), a.Kind == engine.ActionCopy))
		default:
			lines = append(lines, "unexpected "+a.String())
		}
	}
	switch {
	case !execute && (res.Reply != nil || res.Suppressed != nil):
		lines = append(lines, "vacation planned")
	case execute && res.Reply != nil:
		lines = append(lines, "vacation sent to "+res.Reply.To)
	case execute && res.Suppressed != nil:
		lines = append(lines, "vacation suppressed ("+res.Suppressed.Code+")")
	}
	if rp := res.Reply; rp != nil {
		text, inReplyTo, fromName := "(unreadable reply)", "", "(unreadable From)"
		if m, err := message.Parse(rp.Bytes, message.DefaultOptions()); err == nil {
			text = strings.Join(m.BodyText(), "\n")
			inReplyTo = strings.Join(m.Header("In-Reply-To"), " ")
		}
		if m, err := mail.ReadMessage(bytes.NewReader(rp.Bytes)); err == nil {
			if a, err := mail.ParseAddress(m.Header.Get("From")); err == nil {
				fromName = a.Name
			}
		}
		lines = append(lines, fmt.Sprintf("vacation every %ds subject %q", int64(rp.Period/time.Second), rp.Subject), replyTextLine(text))
		if execute {
			lines = append(lines, replyHeaderLine(fromName, rp.From, inReplyTo))
		}
	}
	for _, f := range res.Refused {
		lines = append(lines, fmt.Sprintf("refused %s (%s)", redirectLine(f.Target, f.Kind == engine.ActionCopy), f.Code))
	}
	if len(res.Errors) > 0 {
		lines = append(lines, "runtime error")
	}
	if res.ImplicitKeep {
		lines = append(lines, "implicit keep"+flagSuffix(flags))
	}
	return lines
}

// CompileErrorLines is the comparison form of a policy that does not
// compile: no program exists, so nothing is evaluated.
func CompileErrorLines(diags rules.Diagnostics) []string {
	var codes []string
	for _, d := range diags {
		if d.Severity == rules.Error {
			codes = append(codes, string(d.Code))
		}
	}
	slices.Sort(codes)
	return []string{"compile error (" + strings.Join(slices.Compact(codes), ", ") + ")"}
}

// flagSuffix shows the IMAP flags set on a stored message, sorted, system
// flags ("\Flagged") in lower case since they compare without case.
func flagSuffix(flags []string) string {
	if len(flags) == 0 {
		return ""
	}
	out := make([]string, len(flags))
	for i, f := range flags {
		if strings.HasPrefix(f, `\`) {
			f = strings.ToLower(f)
		}
		out[i] = f
	}
	slices.Sort(out)
	return " flags " + strings.Join(slices.Compact(out), " ")
}

// replyTextLine shows the text of an absence reply with "\n" line ends and
// without the final line end, which Sieve's text: blocks always have.
func replyTextLine(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	return fmt.Sprintf("vacation text %q", strings.TrimRight(text, "\n"))
}

// replyHeaderLine shows the From (with its decoded display name, if any)
// and In-Reply-To of a sent reply.
func replyHeaderLine(name, from, inReplyTo string) string {
	if name != "" {
		from = fmt.Sprintf("%q <%s>", name, from)
	}
	return fmt.Sprintf("vacation from %s in reply to %s", from, strings.TrimSpace(inReplyTo))
}

func redirectLine(target string, copy bool) string {
	if at := strings.LastIndexByte(target, '@'); at >= 0 {
		target = target[:at] + strings.ToLower(target[at:])
	}
	if copy {
		return fmt.Sprintf("redirect %q :copy", target)
	}
	return fmt.Sprintf("redirect %q", target)
}
