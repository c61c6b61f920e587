package sieve

import (
	"time"

	"github.com/tamis-mss/tamis/rules"
)

// pigeonholeMinPeriod is Pigeonhole's default sieve_vacation_min_period:
// a shorter :days or :seconds is raised to it when the reply is sent.
const pigeonholeMinPeriod = 24 * time.Hour

// zeroPeriod turns "vacation :days 0" (or ":seconds 0"), which Roundcube
// writes when its "Reply sending interval" field holds 0, into the period
// Pigeonhole applies, one day: a tamis period is at least one day, and
// "every 0 days" would not compile.
func (im *importer) zeroPeriod(reply *rules.Reply) {
	p := reply.Period
	if p == nil || p.Amount != 0 {
		return
	}
	im.warnf(p.Range, CodeAssumed, "write the period you mean, at least 1 day",
		"a reply period of 0 is raised to 1 day, as Pigeonhole does with its default minimum (sieve_vacation_min_period)")
	p.Amount, p.Unit = int64(pigeonholeMinPeriod/(24*time.Hour)), rules.Days
}
