package casefile

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/tamis-mss/tamis/engine"
)

// Expectations renders an engine result as expectation lines, one fact per
// line, in a stable form that does not depend on source positions (so that
// adding a comment to a policy does not change every golden):
//
//	copy to "remplacant@medecin.mssante.fr"  (vacation "Congés d'été")
//	reply to "dr.martin@chu-nantes.mssante.fr" from "cabinet@esantepdl.mssante.fr" subject "Absence" every 7 days  (vacation "Congés d'été")
//	keep (implicit)
//	no reply: mailing-list  (vacation "Congés d'été")
//	refused copy to "x@y.mssante.fr": outside-trust-space  (rule "Copie")
//	damaged: body contains "urgence": body  (rule "Urgences")
//	body truncated
//	error: …
//
// kinds maps statement names to "rule" or "vacation"; a name missing from
// it is labelled "rule".
func Expectations(r engine.Result, kinds map[string]string) []string {
	lines := []string{}
	notices := 0
	for _, a := range r.Actions {
		if a.Kind == engine.ActionNotify && notices < len(r.Notices) {
			lines = append(lines, describeNotice(r.Notices[notices])+origin(a.Rule, kinds))
			notices++
			continue
		}
		lines = append(lines, describeAction(a, r.Reply)+origin(a.Rule, kinds))
	}
	if r.ImplicitKeep {
		lines = append(lines, "keep (implicit)")
	}
	if s := r.Suppressed; s != nil {
		lines = append(lines, "no reply: "+s.Code+origin(s.Rule, kinds))
	}
	for _, h := range r.HeldNotices {
		lines = append(lines, fmt.Sprintf("no notice to %q: %s%s", h.To, h.Code, origin(h.Rule, kinds)))
	}
	for _, f := range r.Refused {
		lines = append(lines, fmt.Sprintf("refused %s to %q: %s%s", f.Kind, f.Target, f.Code, origin(f.Rule, kinds)))
	}
	for _, d := range r.Damaged {
		lines = append(lines, fmt.Sprintf("damaged: %s: %s%s", d.Condition, d.Field, origin(d.Rule, kinds)))
	}
	if r.BodyTruncated {
		lines = append(lines, "body truncated")
	}
	for _, err := range r.Errors {
		lines = append(lines, "error: "+oneLine(err.Error()))
	}
	return lines
}

// describeNotice writes an arrival notice: its recipient and rate limit.
func describeNotice(n engine.Notice) string {
	if n.Limit > 0 {
		return fmt.Sprintf("notify %q at most once per %s", n.To(), FormatPeriod(n.Limit))
	}
	return fmt.Sprintf("notify %q", n.To())
}

func describeAction(a engine.Action, reply *engine.OutgoingReply) string {
	switch a.Kind {
	case engine.ActionReject:
		return fmt.Sprintf("reject %q", a.Reason)
	case engine.ActionReroute:
		return fmt.Sprintf("reroute to %q", a.Target.String())
	case engine.ActionCopy:
		return fmt.Sprintf("copy to %q", a.Target.String())
	case engine.ActionFileInto:
		return fmt.Sprintf("file into %q", a.Folder)
	case engine.ActionFlag:
		quoted := make([]string, len(a.Flags))
		for i, f := range a.Flags {
			quoted[i] = fmt.Sprintf("%q", f)
		}
		return "flag [" + strings.Join(quoted, ", ") + "]"
	case engine.ActionReply:
		if reply != nil {
			return fmt.Sprintf("reply to %q from %q subject %q every %s", reply.To, reply.From, reply.Subject, FormatPeriod(reply.Period))
		}
		return "reply"
	}
	return a.Kind.String()
}

// FormatPeriod writes a reply period as the language does: "7 days",
// "1 day", "12 hours", "90 minutes", "30 seconds".
func FormatPeriod(d time.Duration) string {
	for _, u := range []struct {
		name string
		d    time.Duration
	}{{"day", 24 * time.Hour}, {"hour", time.Hour}, {"minute", time.Minute}, {"second", time.Second}} {
		if d >= u.d && d%u.d == 0 {
			if n := int64(d / u.d); n != 1 {
				return fmt.Sprintf("%d %ss", n, u.name)
			}
			return "1 " + u.name
		}
	}
	return d.String()
}

func origin(name string, kinds map[string]string) string {
	if name == "" {
		return ""
	}
	kind := kinds[name]
	if kind == "" {
		kind = "rule"
	}
	return fmt.Sprintf("  (%s %q)", kind, name)
}

// outcomeLines describes everything of a result that a traced and an
// untraced evaluation must share, positions included: every field but the
// trace, and the reply's bytes but its random Message-ID.
func outcomeLines(r engine.Result) []string {
	var lines []string
	for _, a := range r.Actions {
		lines = append(lines, fmt.Sprintf("action %s %q flags %q rule %q at %s", a, a.Target.String(), a.Flags, a.Rule, a.Range))
	}
	lines = append(lines, fmt.Sprintf("implicit keep %v", r.ImplicitKeep))
	if s := r.Suppressed; s != nil {
		lines = append(lines, fmt.Sprintf("suppressed %s: %s rule %q at %s", s.Code, s.Reason, s.Rule, s.Range))
	}
	if rp := r.Reply; rp != nil {
		lines = append(lines, fmt.Sprintf("reply to %q from %q subject %q period %s key %+v rule %q at %s", rp.To, rp.From, rp.Subject, rp.Period, rp.Key, rp.Rule, rp.Range))
		for l := range bytes.Lines(rp.Bytes) {
			if !bytes.HasPrefix(bytes.ToLower(l), []byte("message-id:")) {
				lines = append(lines, fmt.Sprintf("reply %q", l))
			}
		}
	}
	for _, n := range r.Notices {
		lines = append(lines, fmt.Sprintf("notice to %q rule %q at %s bytes %q", n.To(), n.Rule, n.Range, n.Bytes()))
	}
	for _, h := range r.HeldNotices {
		lines = append(lines, fmt.Sprintf("held notice %+v", h))
	}
	for _, f := range r.Refused {
		lines = append(lines, fmt.Sprintf("refused %+v", f))
	}
	for _, d := range r.Damaged {
		lines = append(lines, "damaged "+d.String())
	}
	lines = append(lines, fmt.Sprintf("body truncated %v", r.BodyTruncated))
	for _, err := range r.Errors {
		lines = append(lines, "error: "+oneLine(err.Error()))
	}
	return lines
}
