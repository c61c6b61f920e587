package engine

import (
	"fmt"

	"github.com/tamis-mss/tamis/rules"
)

// checkAlways reports the runtime errors that every message would meet:
// the statements that apply to every message (enabled, without condition,
// an absence block without windows either), up to the first statement
// that may stop, trigger actions that conflict across statements — a
// reject with a keep, file into, reroute, copy or reply of another
// statement, two rejects — or more distinct targets than
// Options.MaxRedirects. Evaluate would keep every message with an error;
// conflicts within one statement are checkConflicts' to report.
func (c *compiler) checkAlways(prog *Program) {
	var reject *compiledAction
	var delivered []*compiledAction // keep, file into, reroute, copy, reply
	var targets []*compiledAction
	for _, st := range prog.stmts {
		if st.disabled {
			continue
		}
		if !appliesAlways(st) || c.conflicted[st] {
			if mayStop(st) {
				return // what follows may not run
			}
			continue
		}
		acts := st.actions
		if st.absence != nil && st.replyAct != nil {
			acts = append([]*compiledAction{st.replyAct}, acts...)
		}
		for _, a := range acts {
			if a.stop {
				return
			}
			switch a.kind {
			case ActionReject:
				if reject != nil && reject.stmt != st {
					c.diagAt(rules.Error, rules.CodeRejectConflict, a.rng.Range(),
						fmt.Sprintf("%q and %q both apply to every message and both reject it: every message would be kept with an error", reject.stmt.name, st.name),
						"remove one of the rejects, or add a condition", related("the first reject", reject.rng.Range()))
				}
				for _, d := range delivered {
					if d.stmt != st {
						c.diagAt(rules.Error, rules.CodeRejectConflict, a.rng.Range(),
							fmt.Sprintf("this reject and the %s of %q apply to every message: every message would be kept with an error", actionWords(d.kind), d.stmt.name),
							"add a condition to one of the rules", related(fmt.Sprintf("%s here", actionWords(d.kind)), d.rng.Range()))
						break
					}
				}
				if reject == nil {
					reject = a
				}
			case ActionKeep, ActionFileInto, ActionReroute, ActionCopy, ActionReply:
				if reject != nil && reject.stmt != st {
					c.diagAt(rules.Error, rules.CodeRejectConflict, a.rng.Range(),
						fmt.Sprintf("this %s and the reject of %q apply to every message: every message would be kept with an error", actionWords(a.kind), reject.stmt.name),
						"add a condition to one of the rules", related("the reject", reject.rng.Range()))
				}
				delivered = append(delivered, a)
				if a.kind == ActionReroute || a.kind == ActionCopy {
					targets = addTarget(targets, a)
					if len(targets) == c.opts.MaxRedirects+1 && targets[0].stmt != st {
						c.diagAt(rules.Error, rules.CodeTooManyRedirects, a.rng.Range(),
							fmt.Sprintf("the rules that apply to every message send it to more than %d addresses: every message would be kept with an error", c.opts.MaxRedirects),
							fmt.Sprintf("at most %d reroute or copy targets are allowed per message", c.opts.MaxRedirects),
							related("the first target", targets[0].rng.Range()))
					}
				}
			}
		}
	}
}

// appliesAlways reports whether st applies to every message.
func appliesAlways(st *statement) bool {
	if st.cond != nil && st.cond.op != opAlways {
		return false
	}
	return !st.vacation || len(st.windows) == 0
}

func mayStop(st *statement) bool {
	for _, a := range st.actions {
		if a.stop {
			return true
		}
	}
	return false
}

// addTarget adds a to the distinct targets.
func addTarget(targets []*compiledAction, a *compiledAction) []*compiledAction {
	for _, t := range targets {
		if t.target.String() == a.target.String() {
			return targets
		}
	}
	return append(targets, a)
}
