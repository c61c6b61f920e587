package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/internal/locale"
)

// statementKind is the keyword of a statement: rule or vacation.
func statementKind(vacation bool) string {
	if vacation {
		return "vacation"
	}
	return "rule"
}

// because describes the conditions that made a statement apply, from the
// engine's explanation.
func because(p *locale.Printer, ev []engine.Evidence) string {
	if len(ev) == 0 {
		return p.Sprintf("always (no condition)")
	}
	parts := make([]string, len(ev))
	for i, e := range ev {
		parts[i] = evidenceText(p, e)
	}
	return strings.Join(parts, "; ")
}

// evidenceText describes one condition of an explanation with the values
// it compared, quoted so that no control character reaches the terminal.
func evidenceText(p *locale.Printer, e engine.Evidence) string {
	values := quoteAll(e.Values)
	switch {
	case e.Window && e.Held:
		return p.Sprintf("inside the absence window %s (delivered %s)", e.Condition, localDays(p, e.Values))
	case e.Window:
		return p.Sprintf("outside the absence window %s (delivered %s)", e.Condition, localDays(p, e.Values))
	case e.Damaged:
		return p.Sprintf("%s was not tested: the value could not be read", e.Condition)
	case e.Held && values != "":
		return p.Sprintf("%s (seen %s)", e.Condition, values)
	case e.Held:
		return e.Condition
	case values != "":
		return p.Sprintf("%s is false (seen %s)", e.Condition, values)
	}
	return p.Sprintf("%s is false", e.Condition)
}

// localDays joins the delivery times of a window's evidence, each written
// "Fri 2025-07-18 07:01 CEST" by the engine, with the day of the week in
// p's language.
func localDays(p *locale.Printer, vs []string) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		day, rest, ok := strings.Cut(v, " ")
		switch day {
		case "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun":
			if ok {
				v = p.Text(day) + " " + rest
			}
		}
		out[i] = v
	}
	return strings.Join(out, ", ")
}

func quoteAll(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = strconv.Quote(v)
	}
	return strings.Join(q, ", ")
}

// whyNot describes a statement that did not act, or nothing ("") for one
// that applied and answered, or whose outcome is reported elsewhere (a
// damaged condition: NOT TESTED).
func whyNot(p *locale.Printer, e engine.Explanation) string {
	var conds []string
	for _, c := range e.Conditions {
		conds = append(conds, evidenceText(p, c))
	}
	switch e.Outcome {
	case engine.OutcomeApplied:
		if e.ShadowedBy != "" {
			return p.Sprintf("applied, but no reply: the reply of %q came first (one reply per message)", e.ShadowedBy)
		}
	case engine.OutcomeNotApplied:
		if len(conds) == 0 {
			return p.Sprintf("its condition is false")
		}
		return strings.Join(conds, "; ")
	case engine.OutcomeOutsideWindows:
		return strings.Join(conds, "; ")
	case engine.OutcomeDisabled:
		return p.Sprintf("disabled")
	case engine.OutcomeNotReached:
		if e.StoppedBy != "" {
			return p.Sprintf("not reached: %q stopped the evaluation", e.StoppedBy)
		}
		return p.Sprintf("not reached: the evaluation ended early")
	}
	return ""
}

// writeWhyNot writes, under a heading, the statements of res that did not
// act and why, each line prefixed by indent.
func writeWhyNot(w io.Writer, p *locale.Printer, res engine.Result, indent string) {
	heading := false
	for _, e := range res.Explanations {
		why := whyNot(p, e)
		if why == "" {
			continue
		}
		if !heading {
			fmt.Fprintln(w, indent+p.Sprintf("did not act:"))
			heading = true
		}
		p.Fprintf(w, "%s  %s %q (%s): %s\n", indent, statementKind(e.Vacation), e.Rule, e.Range, why)
	}
}

// jsonEvidence is a condition of an explanation, in run's JSON output.
type jsonEvidence struct {
	Condition string   `json:"condition"`
	Position  string   `json:"position"`
	Window    bool     `json:"window,omitempty"`
	Held      bool     `json:"held"`
	Damaged   bool     `json:"damaged,omitempty"`
	Values    []string `json:"values"`
}

// jsonExplanation is what became of one statement, in run's JSON output.
type jsonExplanation struct {
	Statement  string         `json:"statement"` // rule or vacation
	Name       string         `json:"name"`
	Position   string         `json:"position"`
	Outcome    string         `json:"outcome"`
	Conditions []jsonEvidence `json:"conditions"`
	StoppedBy  string         `json:"stopped_by,omitempty"`
	ShadowedBy string         `json:"shadowed_by,omitempty"`
}

func jsonEvidences(ev []engine.Evidence) []jsonEvidence {
	out := []jsonEvidence{}
	for _, e := range ev {
		values := e.Values
		if values == nil {
			values = []string{}
		}
		out = append(out, jsonEvidence{Condition: e.Condition, Position: e.Range.String(), Window: e.Window,
			Held: e.Held, Damaged: e.Damaged, Values: values})
	}
	return out
}

func jsonExplanations(res engine.Result) []jsonExplanation {
	out := []jsonExplanation{}
	for _, e := range res.Explanations {
		out = append(out, jsonExplanation{Statement: statementKind(e.Vacation), Name: e.Rule, Position: e.Range.String(),
			Outcome: e.Outcome.String(), Conditions: jsonEvidences(e.Conditions), StoppedBy: e.StoppedBy, ShadowedBy: e.ShadowedBy})
	}
	return out
}

// writeExplained writes each action of res with why it happened, then
// the statements that did not act and why, each line prefixed by indent.
func writeExplained(w io.Writer, p *locale.Printer, res engine.Result, indent string) {
	for _, a := range res.Actions {
		fmt.Fprintf(w, "%s%s\n", indent, describeAction(a, res.Reply))
		fmt.Fprintf(w, "%s    %s", indent, p.Sprintf("why: %s %q (%s): %s\n", statementKind(a.Vacation), a.Rule, a.Range, because(p, a.Because)))
	}
	writeWhyNot(w, p, res, indent)
}
