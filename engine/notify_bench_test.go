package engine

import (
	"context"
	"testing"
	"time"

	"github.com/tamis-mss/tamis/rules"
)

// BenchmarkNotice times an evaluation that sends an arrival notice, next to
// one that sends an absence reply from a rule (the same work the host does
// per message: evaluate, build the bytes, claim the tracker), on the same
// message. The message is parsed outside the timer; each iteration is one
// delivery a second later and the site minimum period is lowered to one
// second, so no period blocks the reply or the rate-limited notice.
func BenchmarkNotice(b *testing.B) {
	m := parseMsg(b, typicalRaw)
	ctx := context.Background()
	run := func(b *testing.B, a rules.Action, ok func(Result) bool) {
		p := compile(b, policy(rule("R", nil, a)), Options{MinPeriod: time.Second})
		d := Delivery{Message: m, EnvelopeFrom: "dr.dupont@chu-nantes.mssante.fr", EnvelopeTo: mailbox, Time: jan6}
		for i := range 2 { // the second delivery, a second later, sends again
			d.Time = jan6.Add(time.Duration(i-2) * time.Second)
			if r := p.Evaluate(ctx, d); !ok(r) {
				b.Fatalf("unexpected result:\n%s", r)
			}
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			d.Time = jan6.Add(time.Duration(i) * time.Second)
			p.Evaluate(ctx, d)
		}
	}
	b.Run("notify", func(b *testing.B) {
		run(b, notifyAction("dr.martin.perso@gmail.com", "Un message vous attend.", nil), func(r Result) bool { return len(r.Notices) == 1 })
	})
	b.Run("notify-rate-limited", func(b *testing.B) {
		run(b, notifyAction("dr.martin.perso@gmail.com", "Un message vous attend.", &rules.Period{Amount: 1, Unit: rules.Seconds}), func(r Result) bool { return len(r.Notices) == 1 })
	})
	b.Run("reply", func(b *testing.B) {
		run(b, &rules.Reply{Node: pos(), Text: lit("Absent."), Period: &rules.Period{Amount: 1, Unit: rules.Seconds}}, func(r Result) bool { return r.Reply != nil })
	})
}
