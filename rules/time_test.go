package rules_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/rules"
)

func TestDateIsValid(t *testing.T) {
	for _, tc := range []struct {
		d    rules.Date
		want bool
	}{
		{rules.Date{Year: 2025, Month: 2, Day: 28}, true},
		{rules.Date{Year: 2025, Month: 2, Day: 29}, false},
		{rules.Date{Year: 2024, Month: 2, Day: 29}, true},
		{rules.Date{Year: 2025, Month: 2, Day: 30}, false},
		{rules.Date{Year: 2025, Month: 13, Day: 1}, false},
		{rules.Date{Year: 2025, Month: 4, Day: 31}, false},
		{rules.Date{Year: 0, Month: 1, Day: 1}, false},
	} {
		require.Equal(t, tc.want, tc.d.IsValid(), tc.d.String())
	}
}

func TestWindowContainsDST(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	// The whole day of the spring change (23 hours long) is inside a
	// one-day window, and not one hour more.
	day := rules.Bound{Date: rules.Date{Year: 2026, Month: 3, Day: 29}}
	w := rules.Window{From: &day, Until: &day}
	start := time.Date(2026, 3, 28, 23, 0, 0, 0, time.UTC) // 00:00 in Paris (UTC+1)
	end := time.Date(2026, 3, 29, 22, 0, 0, 0, time.UTC)   // 00:00 next day in Paris (UTC+2)
	require.False(t, w.Contains(start.Add(-time.Second), paris))
	require.True(t, w.Contains(start, paris))
	require.True(t, w.Contains(end.Add(-time.Second), paris))
	require.False(t, w.Contains(end, paris))
	require.Equal(t, 23*time.Hour, w.Until.EndIn(paris).Sub(w.From.StartIn(paris)))

	// A bound with a time is exclusive at the end.
	until := rules.Bound{Date: rules.Date{Year: 2026, Month: 1, Day: 5}, Time: rules.Clock{Hour: 8}, HasTime: true}
	open := rules.Window{Until: &until}
	require.True(t, open.Contains(time.Date(2026, 1, 5, 6, 59, 0, 0, time.UTC), paris))
	require.False(t, open.Contains(time.Date(2026, 1, 5, 7, 0, 0, 0, time.UTC), paris))
}

func TestWeeklySpanContains(t *testing.T) {
	// mon-fri 19:00-08:00: the evening of a listed day and the morning after.
	var days rules.Weekdays
	for d := time.Monday; d <= time.Friday; d++ {
		days = days.With(d)
	}
	span := rules.WeeklySpan{Days: days, Start: rules.Clock{Hour: 19}, End: rules.Clock{Hour: 8}}
	at := func(day, hour, minute int) time.Time { return time.Date(2026, 1, day, hour, minute, 0, 0, time.UTC) } // 2026-01-05 is a Monday
	require.True(t, span.Contains(at(5, 19, 0)))                                                                 // Monday evening
	require.True(t, span.Contains(at(6, 7, 59)))                                                                 // Tuesday morning
	require.False(t, span.Contains(at(6, 8, 0)))                                                                 // Tuesday 08:00
	require.False(t, span.Contains(at(5, 7, 0)))                                                                 // Monday morning: Sunday is not listed
	require.True(t, span.Contains(at(10, 7, 0)))                                                                 // Saturday morning, after Friday evening
	require.False(t, span.Contains(at(10, 19, 0)))                                                               // Saturday evening

	day := rules.WeeklySpan{Days: rules.Weekdays(0).With(time.Saturday), Start: rules.Clock{Hour: 9}, End: rules.Clock{Hour: 24}}
	require.True(t, day.Contains(at(10, 23, 59)))
	require.False(t, day.Contains(at(10, 8, 59)))
	require.False(t, day.Contains(at(11, 0, 0)))
}

func TestPeriodDuration(t *testing.T) {
	require.Equal(t, 7*24*time.Hour, rules.Period{Amount: 7, Unit: rules.Days}.Duration())
	require.Equal(t, 90*time.Second, rules.Period{Amount: 90, Unit: rules.Seconds}.Duration())
	require.Equal(t, "minutes", rules.Minutes.String())
}

func TestWeekdaysString(t *testing.T) {
	days := func(ds ...time.Weekday) rules.Weekdays {
		var w rules.Weekdays
		for _, d := range ds {
			w = w.With(d)
		}
		return w
	}
	for want, w := range map[string]rules.Weekdays{
		"mon-fri":         days(time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday),
		"sat-sun":         days(time.Saturday, time.Sunday),
		"mon+wed":         days(time.Monday, time.Wednesday),
		"sun":             days(time.Sunday),
		"mon+fri+sat+sun": days(time.Friday, time.Saturday, time.Sunday, time.Monday),
		"":                0,
	} {
		if got := w.String(); got != want {
			t.Errorf("%08b: got %q, want %q", w, got, want)
		}
	}
}
