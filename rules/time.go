package rules

import (
	"fmt"
	"strings"
	"time"
)

// Date is a calendar date without a zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// String formats the date as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// IsValid reports whether the date exists in the Gregorian calendar.
func (d Date) IsValid() bool {
	if d.Month < time.January || d.Month > time.December || d.Day < 1 || d.Year < 1 || d.Year > 9999 {
		return false
	}
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	return t.Day() == d.Day
}

// Clock is a time of day, from 00:00 to 24:00 (24:00 only ends a span).
type Clock struct {
	Hour   int
	Minute int
	// Second is 0 but in window bounds written HH:MM:SS (Roundcube's
	// inclusive end "le 08:00:00" is the window until 08:00:01); weekly
	// hours are to the minute.
	Second int
}

// String formats the time as HH:MM, or HH:MM:SS when Second is not 0.
func (c Clock) String() string {
	if c.Second != 0 {
		return fmt.Sprintf("%02d:%02d:%02d", c.Hour, c.Minute, c.Second)
	}
	return fmt.Sprintf("%02d:%02d", c.Hour, c.Minute)
}

// Minutes returns the number of minutes since midnight.
func (c Clock) Minutes() int { return c.Hour*60 + c.Minute }

// IsValid reports whether c is 00:00–23:59:59, or 24:00 when endOfDay is
// allowed.
func (c Clock) IsValid(endOfDay bool) bool {
	if endOfDay && c.Hour == 24 && c.Minute == 0 && c.Second == 0 {
		return true
	}
	return c.Hour >= 0 && c.Hour < 24 && c.Minute >= 0 && c.Minute < 60 && c.Second >= 0 && c.Second < 60
}

// Bound is one end of a window: a date, with a time of day or without.
type Bound struct {
	Node
	Date    Date
	Time    Clock
	HasTime bool
}

// String formats the bound as written in the language.
func (b Bound) String() string {
	if b.HasTime {
		return b.Date.String() + " " + b.Time.String()
	}
	return b.Date.String()
}

// StartIn returns the first instant the bound covers in loc: its time, or
// the start of its day when it has none. Local times skipped by a DST change
// are normalised by time.Date (02:30 on a spring-forward day is 03:30).
func (b Bound) StartIn(loc *time.Location) time.Time {
	if b.HasTime {
		return time.Date(b.Date.Year, b.Date.Month, b.Date.Day, b.Time.Hour, b.Time.Minute, b.Time.Second, 0, loc)
	}
	return time.Date(b.Date.Year, b.Date.Month, b.Date.Day, 0, 0, 0, 0, loc)
}

// EndIn returns the first instant after the bound in loc: its time, or the
// start of the next day when it has none, so a bare end date includes the
// whole day.
func (b Bound) EndIn(loc *time.Location) time.Time {
	if b.HasTime {
		return b.StartIn(loc)
	}
	return time.Date(b.Date.Year, b.Date.Month, b.Date.Day+1, 0, 0, 0, 0, loc)
}

// Window is a period of time: from its From bound (inclusive) until its
// Until bound (exclusive). A nil bound leaves that side open.
//
//	from 2025-12-20 18:00 until 2026-01-05 08:00
type Window struct {
	Node
	From  *Bound
	Until *Bound
}

// Contains reports whether t falls inside the window, with the bounds read
// in loc.
func (w Window) Contains(t time.Time, loc *time.Location) bool {
	if w.From != nil && t.Before(w.From.StartIn(loc)) {
		return false
	}
	if w.Until != nil && !t.Before(w.Until.EndIn(loc)) {
		return false
	}
	return true
}

// Weekdays is a set of days of the week, bit i standing for time.Weekday(i).
type Weekdays uint8

// Has reports whether d is in the set.
func (w Weekdays) Has(d time.Weekday) bool { return w&(1<<d) != 0 }

// With returns the set with d added.
func (w Weekdays) With(d time.Weekday) Weekdays { return w | 1<<d }

// weekdayKeywords are the day keywords, indexed by time.Weekday.
var weekdayKeywords = [...]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// String writes the set as a policy does: a range when the days follow
// each other from Monday's side ("mon-fri", "sat-sun"), else a + list in
// week order ("mon+wed"). It is how the formatter writes days and how a
// trace shows them, so that both read as the author wrote "mon-fri".
func (w Weekdays) String() string {
	var days []int
	for i := 1; i <= 7; i++ {
		if w&(1<<(i%7)) != 0 {
			days = append(days, i%7)
		}
	}
	names := make([]string, len(days))
	contiguous := len(days) >= 2
	for k, d := range days {
		names[k] = weekdayKeywords[d]
		if d != (days[0]+k)%7 {
			contiguous = false
		}
	}
	if contiguous {
		return names[0] + "-" + names[len(names)-1]
	}
	return strings.Join(names, "+")
}

// WeeklySpan is a recurring span of hours on some days of the week
// ("mon-fri 08:00-19:00"). When End is not after Start the span runs past
// midnight into the next day ("fri 19:00-08:00" ends on Saturday).
type WeeklySpan struct {
	Node
	Days  Weekdays
	Start Clock
	End   Clock
}

// Contains reports whether the wall-clock time t (already in the policy's
// zone) falls in the span.
func (s WeeklySpan) Contains(t time.Time) bool {
	m := t.Hour()*60 + t.Minute()
	start, end := s.Start.Minutes(), s.End.Minutes()
	if start < end {
		return s.Days.Has(t.Weekday()) && m >= start && m < end
	}
	// Past midnight: the evening part belongs to a listed day, the morning
	// part to the day after one.
	if s.Days.Has(t.Weekday()) && m >= start {
		return true
	}
	return s.Days.Has((t.Weekday()+6)%7) && m < end
}

// Unit is the unit a period was written in; the formatter keeps it.
type Unit int

// Period units.
const (
	Days Unit = iota
	Hours
	Minutes
	Seconds
)

// Duration returns the length of one unit.
func (u Unit) Duration() time.Duration {
	switch u {
	case Hours:
		return time.Hour
	case Minutes:
		return time.Minute
	case Seconds:
		return time.Second
	}
	return 24 * time.Hour
}

// String returns the plural name of the unit ("days").
func (u Unit) String() string {
	switch u {
	case Hours:
		return "hours"
	case Minutes:
		return "minutes"
	case Seconds:
		return "seconds"
	}
	return "days"
}

// Period is a length of time as written ("every 7 days").
type Period struct {
	Node
	Amount int64
	Unit   Unit
}

// Duration returns the period as a time.Duration. The parser refuses amounts
// that overflow it.
func (p Period) Duration() time.Duration { return time.Duration(p.Amount) * p.Unit.Duration() }
