package oracle

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ParseReport parses the report sieve-test prints on stdout without
// -execute ("Performed actions:" … "Implicit keep:" …) into the Actions,
// ImplicitKeep, KeepFlags, Vacation and Scripts fields of an Outcome. An
// empty report (sieve-test prints none when the script fails) gives an
// empty Outcome.
//
// A run of several scripts in sequence (Request.Before) prints one report
// per script that ran, each after a line "## Executing script: NAME":
// Actions then lists the actions of all of them in order, ImplicitKeep and
// KeepFlags are those left after the last one, and Scripts holds each
// script's part.
//
// The parser is strict: a line it does not understand is an error naming it,
// so that a change in Pigeonhole's output cannot go unnoticed.
func ParseReport(stdout string) (Outcome, error) {
	var o Outcome
	lines := strings.Split(strings.ReplaceAll(stdout, "\r\n", "\n"), "\n")
	section := ""     // "actions" or "keep"
	var last *Action  // the action that modifier lines apply to
	var keep *Action  // the implicit keep's store, for its flags
	inBody := false   // between START MESSAGE and END MESSAGE
	var body []string // the vacation body's lines
	sawKeep := false  // the "Implicit keep:" section was found
	inHandle := false // in a multi-line handle, up to a blank line and START MESSAGE
	script := -1      // index in o.Scripts of the script being reported, -1 for a single script
	first := 0        // index in o.Actions of the current script's first action
	var notify notifyState
	// endScript closes the report of one script: its keep section must have
	// been seen, and its keep becomes the outcome's.
	endScript := func() error {
		if section != "" && !sawKeep {
			return fmt.Errorf("oracle report: no \"Implicit keep:\" section")
		}
		o.ImplicitKeep, o.KeepFlags = keep != nil, nil
		if keep != nil {
			o.KeepFlags = keep.Flags
		}
		if script >= 0 {
			s := &o.Scripts[script]
			if len(o.Actions) > first {
				s.Actions = slices.Clone(o.Actions[first:])
			}
			s.ImplicitKeep, s.KeepFlags = o.ImplicitKeep, o.KeepFlags
		}
		return nil
	}
	for n, line := range lines {
		if inHandle {
			// Pigeonhole's default handle is the body, subject and from run
			// together, so it spans lines; it ends before the blank line that
			// precedes START MESSAGE.
			if line == "START MESSAGE" && n > 0 && lines[n-1] == "" {
				inHandle = false
				o.Vacation.Handle = strings.TrimSuffix(o.Vacation.Handle, "\n")
			} else {
				o.Vacation.Handle += "\n" + line
				continue
			}
		}
		if inBody {
			if line == "END MESSAGE" {
				inBody = false
				if o.Vacation != nil {
					o.Vacation.Body = strings.Join(body, "\n")
				}
				continue
			}
			body = append(body, line)
			continue
		}
		bad := func(what string) error {
			return fmt.Errorf("oracle report line %d: %s: %q", n+1, what, line)
		}
		if ok, err := notifyLine(&notify, last, line); err != nil {
			return Outcome{}, bad(err.Error())
		} else if ok && !strings.HasPrefix(line, " * ") {
			continue
		}
		switch {
		case strings.TrimSpace(line) == "":
			continue
		case strings.HasPrefix(line, sequenceHeader):
			if script < 0 && section != "" {
				return Outcome{}, bad("a script header after a report without one")
			}
			if script >= 0 {
				if err := endScript(); err != nil {
					return Outcome{}, err
				}
			}
			o.Scripts = append(o.Scripts, ScriptOutcome{Name: strings.TrimSpace(strings.TrimPrefix(line, sequenceHeader))})
			script, first = len(o.Scripts)-1, len(o.Actions)
			section, last, keep, sawKeep = "", nil, nil, false
		case line == "Performed actions:":
			if section != "" {
				return Outcome{}, bad("a second report without a script header")
			}
			section, last = "actions", nil
		case line == "Implicit keep:":
			section, last, sawKeep = "keep", nil, true
		case line == "START MESSAGE":
			if o.Vacation == nil {
				return Outcome{}, bad("reply body outside a vacation action")
			}
			inBody, body = true, nil
		case strings.TrimSpace(line) == "(none)":
			if section == "" {
				return Outcome{}, bad("(none) outside a section")
			}
		case strings.HasPrefix(line, " * "):
			a, err := parseAction(strings.TrimPrefix(line, " * "))
			if err != nil {
				return Outcome{}, bad(err.Error())
			}
			switch section {
			case "actions":
				o.Actions = append(o.Actions, a)
				last = &o.Actions[len(o.Actions)-1]
				if a.Kind == KindVacation {
					if o.Vacation != nil {
						return Outcome{}, bad("second vacation action")
					}
					o.Vacation = &VacationOutcome{}
				}
			case "keep":
				if a.Kind != KindKeep {
					return Outcome{}, bad("implicit keep is not a store into INBOX")
				}
				keep, last = &a, &a
			default:
				return Outcome{}, bad("action outside a section")
			}
		case strings.HasPrefix(line, "        + "):
			if last == nil {
				return Outcome{}, bad("modifier without an action")
			}
			mod := strings.TrimPrefix(line, "        + ")
			switch {
			case mod == "preserve implicit keep":
				last.Copy = true
			case strings.HasPrefix(mod, "add IMAP flags: "):
				last.Flags = append(last.Flags, strings.Fields(strings.TrimPrefix(mod, "add IMAP flags: "))...)
			default:
				return Outcome{}, bad("unknown action modifier")
			}
		case strings.HasPrefix(line, "    => "):
			if last == nil || last.Kind != KindVacation {
				return Outcome{}, bad("vacation setting without a vacation action")
			}
			key, value, ok := strings.Cut(strings.TrimPrefix(line, "    => "), " : ")
			if !ok {
				return Outcome{}, bad("malformed vacation setting")
			}
			if err := setVacation(o.Vacation, strings.TrimSpace(key), value); err != nil {
				return Outcome{}, bad(err.Error())
			}
			inHandle = strings.TrimSpace(key) == "handle"
		default:
			return Outcome{}, bad("unexpected line")
		}
	}
	if inBody || inHandle {
		return Outcome{}, fmt.Errorf("oracle report: reply body without END MESSAGE")
	}
	if err := endScript(); err != nil {
		return Outcome{}, err
	}
	return o, nil
}

// sequenceHeader starts the report of one script of a sequence.
const sequenceHeader = "## Executing script: "

// parseAction reads the text of a " * " line.
func parseAction(s string) (Action, error) {
	switch {
	case strings.HasPrefix(s, "store message in folder: "):
		folder := strings.TrimPrefix(s, "store message in folder: ")
		if folder == "INBOX" {
			return Action{Kind: KindKeep, Folder: folder}, nil
		}
		return Action{Kind: KindFileInto, Folder: folder}, nil
	case s == "keep":
		// A sequence of scripts reports a store into INBOX this way.
		return Action{Kind: KindKeep, Folder: "INBOX"}, nil
	case s == "discard":
		return Action{Kind: KindDiscard}, nil
	case strings.HasPrefix(s, "reject message with reason: "):
		return Action{Kind: KindReject, Reason: strings.TrimPrefix(s, "reject message with reason: ")}, nil
	case strings.HasPrefix(s, "redirect message to: "):
		target := strings.TrimPrefix(s, "redirect message to: ")
		target = strings.TrimSuffix(strings.TrimPrefix(target, "<"), ">")
		return Action{Kind: KindRedirect, Target: target}, nil
	case s == "send vacation message:":
		return Action{Kind: KindVacation}, nil
	case strings.HasPrefix(s, "send notification with method 'mailto:'"):
		return Action{Kind: KindNotify}, nil
	}
	return Action{}, fmt.Errorf("unknown action")
}

// setVacation records one "=> key : value" line of a vacation action.
func setVacation(v *VacationOutcome, key, value string) error {
	switch key {
	case "seconds":
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			return fmt.Errorf("vacation seconds: %w", err)
		}
		v.Seconds = n
	case "days":
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			return fmt.Errorf("vacation days: %w", err)
		}
		v.Seconds = n * 86400
	case "subject":
		v.Subject = value
	case "from":
		v.From = value
	case "handle":
		v.Handle = value
	default:
		return fmt.Errorf("unknown vacation setting %q", key)
	}
	return nil
}

// Decision is the absence-reply decision Pigeonhole logs on stderr with
// -execute.
type Decision struct {
	// Sent reports whether the reply was sent.
	Sent bool
	// To is the address the reply was sent to, when Sent.
	To string
	// Text is the message after "vacation action: ", without the final
	// period, e.g. "sent vacation response to <x@…>" or "discarding vacation
	// response to auto-submitted message from <x@…>".
	Text string
}

// ParseDecision finds the absence-reply decision in the stderr of a -execute
// run. ok is false when there is none (no vacation action was executed,
// e.g. because an earlier action failed).
func ParseDecision(stderr string) (d Decision, ok bool) {
	const marker = "vacation action: "
	for line := range strings.Lines(stderr) {
		_, text, found := strings.Cut(line, marker)
		if !found {
			continue
		}
		text = strings.TrimSuffix(strings.TrimRight(text, "\r\n"), ".")
		d = Decision{Text: text}
		if rest, sent := strings.CutPrefix(text, "sent vacation response to "); sent {
			d.Sent = true
			d.To = strings.TrimSuffix(strings.TrimPrefix(rest, "<"), ">")
		}
		return d, true
	}
	return Decision{}, false
}

// diagnostics returns the "error:" and "warning:" lines of a stderr output,
// whole and trimmed.
func diagnostics(stderr string) (errs, warnings []string) {
	for line := range strings.Lines(stderr) {
		line = strings.TrimSpace(line)
		switch {
		case strings.Contains(line, ": Fatal: "), strings.HasPrefix(line, "error: "), strings.Contains(line, ": error: "):
			errs = append(errs, line)
		case strings.HasPrefix(line, "warning: "), strings.Contains(line, ": warning: "):
			warnings = append(warnings, line)
		}
	}
	return errs, warnings
}

// keptAfterFailure reports whether a failed run says the implicit keep was
// applied ("final result: failed; resolved with successful implicit keep").
func keptAfterFailure(stderr string) bool {
	return strings.Contains(stderr, "resolved with successful implicit keep")
}
