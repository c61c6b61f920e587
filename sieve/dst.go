package sieve

import (
	"strings"
	"sync"
	"time"
)

// Weekly hours are wall-clock hours. In a zone whose offset never changes,
// Sieve's currentdate with that fixed offset reads the wall clock. In a
// zone with daylight saving time no single offset does; but when the zone
// follows the European Union rule (summer time from the last Sunday of
// March to the last Sunday of October, both at 01:00 UTC, one hour ahead
// of standard time), whether summer time is in force is itself a test on
// the UTC date, which Sieve can write. The weekly hours are then
//
//	anyof (allof (SUMMER, hours at standard + 1 h), allof (not SUMMER, hours at standard))
//
// which is exact wherever the zone's rules, as the time zone database has
// them, are the EU rule — checked for every year from 2000 to 2100.

var euZones sync.Map // zone name → euResult

type euResult struct {
	std int
	ok  bool
}

// euRule reports whether loc follows the EU daylight-saving rule from 2000
// to 2100, and its standard offset in seconds east of UTC.
func euRule(loc *time.Location) (std int, ok bool) {
	if r, found := euZones.Load(loc.String()); found {
		return r.(euResult).std, r.(euResult).ok
	}
	std, ok = checkEURule(loc)
	euZones.Store(loc.String(), euResult{std, ok})
	return std, ok
}

func checkEURule(loc *time.Location) (int, bool) {
	_, std := time.Date(2000, 1, 15, 0, 0, 0, 0, time.UTC).In(loc).Zone()
	for year := 2000; year <= 2100; year++ {
		start, end := lastSunday(year, time.March), lastSunday(year, time.October)
		expected := func(t time.Time) int {
			if !t.Before(start) && t.Before(end) {
				return std + 3600
			}
			return std
		}
		check := func(t time.Time) bool {
			_, off := t.In(loc).Zone()
			return off == expected(t)
		}
		for _, t := range []time.Time{start.Add(-time.Second), start, end.Add(-time.Second), end} {
			if !check(t) {
				return 0, false
			}
		}
		for t := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC); t.Year() == year; t = t.Add(6 * time.Hour) {
			if !check(t) {
				return 0, false
			}
		}
	}
	return std, true
}

// lastSunday returns 01:00 UTC on the last Sunday of month (a month of 31
// days: March or October).
func lastSunday(year int, month time.Month) time.Time {
	t := time.Date(year, month, 31, 1, 0, 0, 0, time.UTC)
	return t.AddDate(0, 0, -int(t.Weekday()))
}

// summerTest is the Sieve test "EU summer time is in force", on the UTC
// date: April to September, or March after its last Sunday 01:00 UTC, or
// October before its last Sunday 01:00 UTC. The most recent Sunday, day
// minus weekday, is the month's last one when it is the 25th or later.
func summerTest() string {
	cd := `currentdate :zone "+0000" `
	after := make([]string, 0, 7)
	after = append(after, "allof ("+cd+`:is "weekday" "0", `+cd+`:value "ge" "day" "25", `+cd+`:value "ge" "hour" "01")`)
	for w := 1; w <= 6; w++ {
		after = append(after, "allof ("+cd+`:is "weekday" "`+string(rune('0'+w))+`", `+cd+`:value "ge" "day" "`+string(rune('0'+(25+w)/10))+string(rune('0'+(25+w)%10))+`")`)
	}
	passed := "anyof (" + strings.Join(after, ", ") + ")"
	return "anyof (allof (" + cd + `:value "ge" "month" "04", ` + cd + `:value "le" "month" "09"), ` +
		"allof (" + cd + `:is "month" "03", ` + passed + "), " +
		"allof (" + cd + `:is "month" "10", not ` + passed + "))"
}

// normalizeSpace collapses runs of white space, to compare source text.
func normalizeSpace(s string) string { return strings.Join(strings.Fields(s), " ") }
