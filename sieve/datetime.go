package sieve

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tamis-mss/tamis/rules"
)

// The range of instants searched for the boundary of a currentdate test.
var (
	minInstant = time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC)
	maxInstant = time.Date(9999, 12, 30, 0, 0, 0, 0, time.UTC)
)

// currentdate lowers a currentdate test (RFC 5260) on the "date" or
// "iso8601" part into a between test. Such a test compares the text of
// the current date, in a zone, with a key; that text grows with time, so
// the test holds from or until one instant, found by bisection on the very
// text Pigeonhole would compare. That instant is then written in the
// policy's zone, which keeps Roundcube's windows exact even where its
// fixed offset is an hour off after a DST change.
func (im *importer) currentdate(t *astTest, node rules.Node) (rules.Condition, bool) {
	a, ok := im.parseArgs("currentdate", t.Args, append([]string{":zone"}, matchTags...)...)
	if !ok || !im.positional("currentdate", a, 2, node.Range) {
		return nil, false
	}
	partLit, ok1 := im.one("currentdate date part", a.positional[0])
	keys, ok2 := im.list("currentdate keys", a.positional[1])
	if !ok1 || !ok2 {
		return nil, false
	}
	zone, fixed := im.loc, false
	if p, ok := a.tags[":zone"]; ok {
		fixed = true
		z, ok := im.one(":zone", p)
		if !ok {
			return nil, false
		}
		off, err := parseZone(z.Value)
		if err != nil {
			im.errorf(z.Range, rules.CodeInvalidValue, "write the zone as +HHMM or -HHMM", "invalid zone %q: %v", z.Value, err)
			return nil, false
		}
		zone = time.FixedZone(z.Value, off)
	} else {
		im.warnf(node.Range, CodeAssumed, "add :zone \"+HHMM\" to say which zone is meant", "currentdate without :zone uses the server's zone; read as the policy's zone, %s", im.loc)
	}
	fold := true
	if p, ok := a.tags[":comparator"]; ok {
		cmp, ok := im.one(":comparator", p)
		if !ok {
			return nil, false
		}
		switch strings.ToLower(cmp.Value) {
		case "i;octet":
			fold = false
		case "i;ascii-casemap":
		default:
			im.errorf(cmp.Range, CodeUnsupported, "dates compare as text; use the default comparator", "comparator %q is not supported in currentdate", cmp.Value)
			return nil, false
		}
	}
	part := strings.ToLower(partLit.Value)
	weekly := part == "weekday" || part == "time" || part == "hour" || part == "minute"
	if part != "date" && part != "iso8601" && !weekly {
		im.errorf(partLit.Range, CodeUnsupported, "tamis reads currentdate on \"date\" and \"iso8601\" (windows) and on \"weekday\", \"time\", \"hour\" and \"minute\" (weekly hours)",
			"currentdate date part %q is not supported", partLit.Value)
		return nil, false
	}
	rel := "eq"
	for _, tag := range []string{":contains", ":matches", ":regex", ":count"} {
		if _, bad := a.tags[tag]; bad {
			im.errorf(a.tagPos[tag], CodeUnsupported, "use :value \"ge\", \"le\"… or :is", "currentdate %s is not supported", tag)
			return nil, false
		}
	}
	if p, ok := a.tags[":value"]; ok {
		im.needs("relational", a.tagPos[":value"])
		r, ok := im.one(":value", p)
		if !ok {
			return nil, false
		}
		rel = strings.ToLower(r.Value)
		switch rel {
		case "gt", "ge", "lt", "le", "eq", "ne":
		default:
			im.errorf(r.Range, rules.CodeInvalidValue, "use gt, ge, lt, le, eq or ne", "unknown relation %q", r.Value)
			return nil, false
		}
	}
	if weekly {
		return im.weekly(node, partLit, zone, func(v string) bool {
			for _, k := range keys {
				c := strings.Compare(v, k.Value)
				if fold {
					c = strings.Compare(strings.ToUpper(v), strings.ToUpper(k.Value))
				}
				if relationHolds(rel, c) {
					return true
				}
			}
			return false
		})
	}
	format := func(t time.Time) string {
		t = t.In(zone)
		if part == "date" {
			return t.Format(time.DateOnly)
		}
		return formatISO8601(t)
	}
	var alts []rules.Condition
	for _, k := range keys {
		key := k.Value
		compare := func(t time.Time) int {
			s := format(t)
			if fold {
				return strings.Compare(strings.ToUpper(s), strings.ToUpper(key))
			}
			return strings.Compare(s, key)
		}
		ge := threshold(func(t time.Time) bool { return compare(t) >= 0 })
		gt := threshold(func(t time.Time) bool { return compare(t) > 0 })
		var from, until instant
		switch rel {
		case "ge":
			from = ge
		case "gt":
			from = gt
		case "le":
			until = gt
		case "lt":
			until = ge
		case "eq", "ne":
			from, until = ge, gt
		}
		if fixed {
			from = im.offsetTrap(from, zone, true, k.Range)
			until = im.offsetTrap(until, zone, false, k.Range)
		}
		c, ok := im.window(node, from, until, k.Range)
		if !ok {
			return nil, false
		}
		if rel == "ne" {
			c = negate(c)
		}
		alts = append(alts, c)
	}
	if len(alts) == 1 {
		return alts[0], true
	}
	return &rules.Any{Node: node, Conds: alts}, true
}

// relationHolds applies a relational operator to a comparison result.
func relationHolds(rel string, c int) bool {
	switch rel {
	case "gt":
		return c > 0
	case "ge":
		return c >= 0
	case "lt":
		return c < 0
	case "le":
		return c <= 0
	case "ne":
		return c != 0
	}
	return c == 0
}

// instant is a boundary found by threshold: a time, or minus or plus
// infinity (the test holds from the beginning, or never turns on). The
// zero value means "no bound".
type instant struct {
	t   time.Time
	inf int // -1, +1, or 0 for a finite t
	set bool
}

// threshold returns the first instant, to the second, at which holds
// (false then true over time) becomes true.
func threshold(holds func(time.Time) bool) instant {
	if holds(minInstant) {
		return instant{inf: -1, set: true}
	}
	if !holds(maxInstant) {
		return instant{inf: 1, set: true}
	}
	lo, hi := minInstant.Unix(), maxInstant.Unix() // holds(lo) false, holds(hi) true
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if holds(time.Unix(mid, 0)) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return instant{t: time.Unix(hi, 0).UTC(), set: true}
}

// window builds the condition "from ≤ now < until" in the policy's zone.
func (im *importer) window(node rules.Node, from, until instant, r rules.Range) (rules.Condition, bool) {
	never := &rules.Not{Node: node, Cond: &rules.Always{Node: node}}
	if (from.set && from.inf > 0) || (until.set && until.inf < 0) {
		return never, true
	}
	if from.set && until.set && from.inf == 0 && until.inf == 0 && !from.t.Before(until.t) {
		return never, true
	}
	w := rules.Window{Node: node}
	if from.set && from.inf == 0 {
		b, ok := im.bound(from.t, true, r)
		if !ok {
			return nil, false
		}
		w.From = b
	}
	if until.set && until.inf == 0 {
		b, ok := im.bound(until.t, false, r)
		if !ok {
			return nil, false
		}
		w.Until = b
	}
	if w.From == nil && w.Until == nil {
		return &rules.Always{Node: node}, true
	}
	return &rules.BetweenTest{Node: node, Window: w}, true
}

// bound writes instant t as a window bound in the policy's zone: the start
// of the window (from) or the first instant after it.
func (im *importer) bound(t time.Time, from bool, r rules.Range) (*rules.Bound, bool) {
	if t.Nanosecond() != 0 {
		// Sieve's date parts are to the second; no script writes this.
		t = t.Truncate(time.Second)
	}
	local := t.In(im.loc)
	date := rules.Date{Year: local.Year(), Month: local.Month(), Day: local.Day()}
	// Roundcube writes an end as "le" a time, which holds until the second
	// after it: the bound has seconds (until 08:00:01).
	clock := rules.Clock{Hour: local.Hour(), Minute: local.Minute(), Second: local.Second()}
	candidates := []rules.Bound{{Node: rules.Node{Range: r}, Date: date, Time: clock, HasTime: true}}
	if clock == (rules.Clock{}) {
		day := rules.Bound{Node: rules.Node{Range: r}, Date: date}
		if !from {
			prev := local.AddDate(0, 0, -1)
			day.Date = rules.Date{Year: prev.Year(), Month: prev.Month(), Day: prev.Day()}
		}
		candidates = append([]rules.Bound{day}, candidates...)
	}
	for _, b := range candidates {
		got := b.EndIn(im.loc)
		if from {
			got = b.StartIn(im.loc)
		}
		if b.Date.IsValid() && got.Equal(t) {
			return &b, true
		}
	}
	im.errorf(r, CodeUnsupported, "set the policy's timezone (\"# tamis:timezone\") to the zone the script means",
		"the instant %s cannot be written as a date and time in %s", formatISO8601(t.In(im.loc)), im.loc)
	return nil, false
}

// parseZone reads a Sieve zone "+HHMM" or "-HHMM" as seconds east of UTC.
func parseZone(z string) (int, error) {
	if len(z) != 5 || (z[0] != '+' && z[0] != '-') {
		return 0, fmt.Errorf("not of the form +HHMM")
	}
	h, err1 := strconv.Atoi(z[1:3])
	m, err2 := strconv.Atoi(z[3:5])
	if err1 != nil || err2 != nil || h > 23 || m > 59 {
		return 0, fmt.Errorf("not of the form +HHMM")
	}
	off := h*3600 + m*60
	if z[0] == '-' {
		off = -off
	}
	return off, nil
}

// minutesPerWeek is the number of minutes in a week.
const minutesPerWeek = 7 * 24 * 60

// weekStart is a Sunday at midnight in loc: the origin of weekly bitmaps.
func weekStart(loc *time.Location) time.Time { return time.Date(2023, 1, 1, 0, 0, 0, 0, loc) }

// weekly lowers a currentdate test on the weekday or the time of day into
// weekly hours (a during test). That is exact only when the policy's zone
// has a fixed offset, like the test's :zone: the test is then evaluated on
// every minute of a week (and checked to be constant within each minute).
func (im *importer) weekly(node rules.Node, partLit rules.Literal, zone *time.Location, holds func(string) bool) (rules.Condition, bool) {
	wall := im.wallZone()
	if wall == nil {
		im.errorf(partLit.Range, CodeUnsupported, "set the policy's zone (\"# tamis:timezone\") to a fixed-offset zone such as \"Etc/GMT-1\"",
			"currentdate on %q is a fixed UTC offset, and %s changes offset: no weekly hours in that zone are equivalent", partLit.Value, im.loc)
		return nil, false
	}
	part := strings.ToLower(partLit.Value)
	format := func(t time.Time) string {
		t = t.In(zone)
		switch part {
		case "weekday":
			return strconv.Itoa(int(t.Weekday()))
		case "hour":
			return t.Format("15")
		case "minute":
			return t.Format("04")
		}
		return t.Format(time.TimeOnly)
	}
	var bits [minutesPerWeek]bool
	start := weekStart(wall)
	for i := range bits {
		t := start.Add(time.Duration(i) * time.Minute)
		bits[i] = holds(format(t))
		if holds(format(t.Add(59*time.Second))) != bits[i] {
			im.errorf(node.Range, CodeUnsupported, "compare whole minutes", "currentdate test changes within a minute; tamis weekly hours are to the minute")
			return nil, false
		}
	}
	return duringFromBits(node, &bits), true
}

// weeklyBits evaluates a condition made only of weekly hours on every
// minute of a week, in the policy's (fixed-offset) zone.
func weeklyBits(c rules.Condition, loc *time.Location) (*[minutesPerWeek]bool, bool) {
	var bits [minutesPerWeek]bool
	switch c := c.(type) {
	case *rules.DuringTest:
		start := weekStart(loc)
		for i := range bits {
			t := start.Add(time.Duration(i) * time.Minute)
			for _, s := range c.Spans {
				if s.Contains(t) {
					bits[i] = true
					break
				}
			}
		}
		return &bits, true
	case *rules.Not:
		inner, ok := weeklyBits(c.Cond, loc)
		if !ok {
			return nil, false
		}
		for i := range bits {
			bits[i] = !inner[i]
		}
		return &bits, true
	case *rules.All, *rules.Any:
		var conds []rules.Condition
		all := false
		switch c := c.(type) {
		case *rules.All:
			conds, all = c.Conds, true
		case *rules.Any:
			conds = c.Conds
		}
		if len(conds) == 0 {
			return nil, false
		}
		for i := range bits {
			bits[i] = all
		}
		for _, d := range conds {
			inner, ok := weeklyBits(d, loc)
			if !ok {
				return nil, false
			}
			for i := range bits {
				if all {
					bits[i] = bits[i] && inner[i]
				} else {
					bits[i] = bits[i] || inner[i]
				}
			}
		}
		return &bits, true
	}
	return nil, false
}

// mergeWeekly replaces a not/all/any made only of weekly hours by one
// during test.
func (im *importer) mergeWeekly(c rules.Condition) rules.Condition {
	if _, single := c.(*rules.DuringTest); single {
		return c
	}
	wall := im.wallZone()
	if wall == nil {
		return c
	}
	if bits, ok := weeklyBits(c, wall); ok {
		return duringFromBits(rules.Node{Range: c.Source()}, bits)
	}
	return c
}

// duringFromBits writes a weekly bitmap as weekly spans, days with the
// same hours grouped, Monday first; a span never crosses midnight.
func duringFromBits(node rules.Node, bits *[minutesPerWeek]bool) rules.Condition {
	type hours struct{ start, end int }
	var order []hours
	days := map[hours]rules.Weekdays{}
	for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
		base := int(d) * 24 * 60
		for m := 0; m < 24*60; {
			if !bits[base+m] {
				m++
				continue
			}
			s := m
			for m < 24*60 && bits[base+m] {
				m++
			}
			h := hours{s, m}
			if _, seen := days[h]; !seen {
				order = append(order, h)
			}
			days[h] = days[h].With(d)
		}
	}
	switch {
	case len(order) == 0:
		return &rules.Not{Node: node, Cond: &rules.Always{Node: node}}
	case len(order) == 1 && order[0] == hours{0, 24 * 60} && days[order[0]] == 0x7f:
		return &rules.Always{Node: node}
	}
	t := &rules.DuringTest{Node: node}
	for _, h := range order {
		t.Spans = append(t.Spans, rules.WeeklySpan{Node: node, Days: days[h],
			Start: rules.Clock{Hour: h.start / 60, Minute: h.start % 60}, End: rules.Clock{Hour: h.end / 60, Minute: h.end % 60}})
	}
	return t
}

// wallZone returns the fixed zone in which currentdate tests read the
// policy's wall clock: the policy's zone when its offset never changes, the
// summer or winter offset inside an EU daylight-saving test (see euWeekly),
// or nil when there is none.
func (im *importer) wallZone() *time.Location {
	if im.wall != nil {
		return im.wall
	}
	if _, ok := fixedOffset(im.loc); ok {
		return im.loc
	}
	return nil
}

// euWeekly recognises the weekly hours Export writes for a zone under the
// EU daylight-saving rule (see dst.go):
//
//	anyof (allof (SUMMER, X), allof (not SUMMER, Y))
//
// where the policy's zone follows that rule, X reads the wall clock at the
// summer offset and Y at the standard one, and both give the same weekly
// hours: those are the condition. matched is false for any other test.
func (im *importer) euWeekly(t *astTest, node rules.Node) (c rules.Condition, ok, matched bool) {
	if !strings.EqualFold(t.Name, "anyof") || t.Tests == nil || len(t.Tests.Tests) != 2 || im.wall != nil {
		return nil, false, false
	}
	std, isEU := euRule(im.loc)
	if !isEU {
		return nil, false, false
	}
	summer, winter := t.Tests.Tests[0], t.Tests.Tests[1]
	for _, a := range []*astTest{summer, winter} {
		if !strings.EqualFold(a.Name, "allof") || a.Tests == nil || len(a.Tests.Tests) != 2 {
			return nil, false, false
		}
	}
	neg := winter.Tests.Tests[0]
	if !strings.EqualFold(neg.Name, "not") || neg.Test == nil ||
		im.source(summer.Tests.Tests[0]) != summerTest() || im.source(neg.Test) != summerTest() {
		return nil, false, false
	}
	lower := func(x *astTest, off int) (*[minutesPerWeek]bool, bool) {
		im.wall = time.FixedZone("", off)
		defer func() { im.wall = nil }()
		c, ok := im.test(x)
		if !ok {
			return nil, false
		}
		bits, ok := conditionBits(c, im.wall)
		if !ok {
			im.errorf(c.Source(), CodeUnsupported, "", "a test under a daylight-saving condition that is not weekly hours")
		}
		return bits, ok
	}
	sbits, ok1 := lower(summer.Tests.Tests[1], std+3600)
	wbits, ok2 := lower(winter.Tests.Tests[1], std)
	if !ok1 || !ok2 {
		return nil, false, true
	}
	if *sbits != *wbits {
		im.errorf(node.Range, CodeUnsupported, "", "summer and winter hours differ: no weekly hours in %s are equivalent", im.loc)
		return nil, false, true
	}
	return duringFromBits(node, sbits), true, true
}

// conditionBits evaluates weekly hours, "always" or "never" on every minute
// of a week.
func conditionBits(c rules.Condition, loc *time.Location) (*[minutesPerWeek]bool, bool) {
	var bits [minutesPerWeek]bool
	switch c := c.(type) {
	case *rules.Always:
		for i := range bits {
			bits[i] = true
		}
		return &bits, true
	case *rules.Not:
		if _, always := c.Cond.(*rules.Always); always {
			return &bits, true
		}
	}
	return weeklyBits(c, loc)
}

// source returns the text of a test as written, white space collapsed.
func (im *importer) source(t *astTest) string {
	return normalizeSpace(string(im.src[t.Pos.Offset:min(t.EndPos.Offset, len(im.src))]))
}
