package sieve

import (
	"fmt"

	"github.com/tamis-mss/tamis/rules"
)

// checkFileintoCopy leaves out the statements holding a "fileinto :copy"
// that a later action makes inexact. Import writes fileinto :copy as "file
// into" then "keep": the copy keeps the message where Sieve's implicit keep
// would have. But a discard, redirect, fileinto or reject, before or after
// it, cancels Sieve's implicit keep, not tamis's keep, so the message would
// stay in the inbox under tamis and not under Pigeonhole. Such a statement
// is refused, with that action named.
func (im *importer) checkFileintoCopy() {
	var out []rules.Statement
	for i, st := range im.policy.Statements {
		if copyAt, cancel := im.cancelledCopy(i); cancel != nil {
			im.errorf(copyAt.Range, CodeUnsupported,
				"file into and keep explicitly if the message must also stay in the inbox, or stop before the later action",
				"fileinto :copy has no exact tamis equivalent here: %s at line %d cancels Sieve's implicit keep, which the copy leaves in place, while tamis would keep the message",
				actionWord(cancel), cancel.Source().Start.Line)
			im.errorf(st.Label().Range, CodeUnsupported, "rewrite the statement with what tamis supports, or leave it out",
				"statement %q not imported (see the errors in it)", st.Label().Value)
			continue
		}
		out = append(out, st)
	}
	im.policy.Statements = out
}

// cancelledCopy finds, in statement i, a fileinto :copy (as Import wrote
// it) with an action that cancels the implicit keep: before it in the
// statement, in an earlier enabled statement that does not stop after it,
// or after it in this statement or a later enabled one, unless a stop comes
// first.
func (im *importer) cancelledCopy(i int) (copyAt *rules.FileInto, cancel rules.Action) {
	st := im.policy.Statements[i]
	if st.IsDisabled() {
		return nil, nil
	}
	as := statementActions(st)
	for j := 0; j+1 < len(as); j++ {
		if !fileintoCopy(as[j], as[j+1]) {
			continue
		}
		copyAt = as[j].(*rules.FileInto)
		// Before it: a cancelled implicit keep stays cancelled, and tamis
		// would keep the message all the same.
		if c, _ := cancelling(as[:j]); c != nil {
			return copyAt, c
		}
		for _, earlier := range im.policy.Statements[:i] {
			if earlier.IsDisabled() {
				continue
			}
			if c, stopped := cancelling(statementActions(earlier)); c != nil && !stopped {
				return copyAt, c
			}
		}
		if c, stopped := cancelling(as[j+2:]); c != nil || stopped {
			return copyAt, c
		}
		for _, later := range im.policy.Statements[i+1:] {
			if later.IsDisabled() {
				continue
			}
			if c, stopped := cancelling(statementActions(later)); c != nil || stopped {
				return copyAt, c
			}
		}
		return nil, nil
	}
	return nil, nil
}

// cancelling returns the first action of as that cancels Sieve's implicit
// keep, and whether a stop follows it (or, without one, comes at all).
func cancelling(as []rules.Action) (rules.Action, bool) {
	for k := 0; k < len(as); k++ {
		switch a := as[k].(type) {
		case *rules.Discard, *rules.Reroute, *rules.Reject:
			_, stopped := cancelling(as[k+1:])
			return a, stopped
		case *rules.FileInto:
			if k+1 < len(as) && fileintoCopy(a, as[k+1]) {
				k++
				continue
			}
			_, stopped := cancelling(as[k+1:])
			return a, stopped
		case *rules.Stop:
			return nil, true
		}
	}
	return nil, false
}

func statementActions(st rules.Statement) []rules.Action {
	switch st := st.(type) {
	case *rules.Rule:
		return st.Actions
	case *rules.Vacation:
		return st.Actions
	}
	return nil
}

func actionWord(a rules.Action) string {
	switch a.(type) {
	case *rules.Discard:
		return "discard"
	case *rules.Reroute:
		return "redirect"
	case *rules.Reject:
		return "reject"
	case *rules.FileInto:
		return "fileinto"
	}
	return fmt.Sprintf("%T", a)
}
