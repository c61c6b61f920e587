package vacation

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const week = 7 * 24 * time.Hour

var t0 = time.Date(2025, 12, 22, 9, 0, 0, 0, time.UTC)

func key(sender string) Key {
	return Key{Mailbox: mailbox, Sender: sender, Response: ResponseID("", "Le cabinet est fermé.", "", "")}
}

// trackerPeriodTests checks the period semantics of any Tracker.
func trackerPeriodTests(t *testing.T, tr Tracker) {
	ctx := context.Background()
	claim := func(k Key, at time.Time, period time.Duration) bool {
		t.Helper()
		ok, err := tr.Claim(ctx, k, at, period)
		require.NoError(t, err)
		return ok
	}
	k := key(sender)
	require.True(t, claim(k, t0, week), "first reply")
	require.False(t, claim(k, t0, week), "same instant")
	require.False(t, claim(k, t0.Add(time.Hour), week))
	require.False(t, claim(k, t0.Add(week-time.Nanosecond), week), "just inside the period")
	require.True(t, claim(k, t0.Add(week), week), "the period has passed")
	require.False(t, claim(k, t0.Add(week+time.Hour), week), "the period runs from the last reply")
	require.False(t, claim(k, t0.Add(2*week-time.Second), week), "refused claims do not restart the period")
	require.True(t, claim(k, t0.Add(2*week), week))

	require.False(t, claim(Key{"CABINET-DES-LILAS.93260@esantepdl.mssante.fr", "<Dr.Martin@CHU-Nantes.mssante.fr>", k.Response},
		t0.Add(2*week), week), "addresses are normalised")
	require.True(t, claim(key("other@chu-nantes.mssante.fr"), t0.Add(2*week), week), "another sender")
	require.True(t, claim(Key{also, sender, k.Response}, t0.Add(2*week), week), "another mailbox")
	require.True(t, claim(Key{mailbox, sender, ResponseID("", "Le cabinet est ouvert.", "", "")}, t0.Add(2*week), week),
		"a changed text replies again")
	require.True(t, claim(Key{mailbox, sender, "handle"}, t0.Add(2*week), 0), "no period")
	require.True(t, claim(Key{mailbox, sender, "handle"}, t0.Add(2*week), 0), "no period, again")
	require.False(t, claim(k, t0.Add(2*week-time.Hour), week), "the clock went back: still refused")

	_, err := tr.Claim(ctx, Key{Mailbox: mailbox, Sender: "<>", Response: "x"}, t0, week)
	require.ErrorIs(t, err, ErrInvalidKey)
	_, err = tr.Claim(ctx, Key{Mailbox: mailbox, Sender: sender}, t0, week)
	require.ErrorIs(t, err, ErrInvalidKey)
}

func TestMemoryTrackerPeriod(t *testing.T) {
	trackerPeriodTests(t, NewMemoryTracker(0))
}

func TestMemoryTrackerBound(t *testing.T) {
	require.Equal(t, DefaultMaxPerMailbox, NewMemoryTracker(0).MaxPerMailbox())
	require.Equal(t, DefaultMaxPerMailbox, NewMemoryTracker(10).MaxPerMailbox(), "raised to the minimum")
	require.Equal(t, 5000, NewMemoryTracker(5000).MaxPerMailbox())
}

func TestMemoryTrackerEvictsOldest(t *testing.T) {
	ctx := context.Background()
	tr := NewMemoryTracker(0)
	n := tr.MaxPerMailbox()
	s := func(i int) Key { return key(fmt.Sprintf("s%04d@chu-nantes.mssante.fr", i)) }
	claim := func(k Key, at time.Time) bool {
		t.Helper()
		ok, err := tr.Claim(ctx, k, at, week)
		require.NoError(t, err)
		return ok
	}
	for i := range n {
		require.True(t, claim(s(i), t0.Add(time.Duration(i)*time.Second)))
	}
	require.Equal(t, n, tr.Len(mailbox))
	// s0 replied again after its period: it becomes the newest.
	later := t0.Add(week + time.Hour)
	require.True(t, claim(s(0), later))
	require.False(t, claim(s(1), t0.Add(time.Hour)), "s1 is still remembered")
	// One more sender: the oldest reply, s1's, is dropped; s0 stays.
	require.True(t, claim(s(n), later))
	require.Equal(t, n, tr.Len(mailbox))
	require.False(t, claim(s(0), later), "s0 was refreshed")
	require.False(t, claim(s(2), later.Add(-week)), "s2 is still remembered")
	require.True(t, claim(s(1), later), "s1 was forgotten: it gets a new reply")
	require.Equal(t, n, tr.Len(mailbox))
	require.Zero(t, tr.Len(also), "other mailboxes are apart")
}

func TestMemoryTrackerCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ok, err := NewMemoryTracker(0).Claim(ctx, key(sender), t0, week)
	require.False(t, ok)
	require.ErrorIs(t, err, context.Canceled)
}

func TestMemoryTrackerConcurrentClaims(t *testing.T) {
	tr := NewMemoryTracker(0)
	var wins atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range 64 {
		wg.Go(func() {
			<-start
			ok, err := tr.Claim(context.Background(), key(sender), t0, week)
			if err != nil {
				t.Error(err)
			}
			if ok {
				wins.Add(1)
			}
		})
	}
	close(start)
	wg.Wait()
	require.EqualValues(t, 1, wins.Load(), "exactly one goroutine may send the reply")
}

func TestMemoryTrackerConcurrentMailboxes(t *testing.T) {
	tr := NewMemoryTracker(0)
	var wins atomic.Int32
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			box := fmt.Sprintf("box%d@esantepdl.mssante.fr", g%4)
			for i := range 200 {
				k := Key{Mailbox: box, Sender: fmt.Sprintf("s%d@chu-nantes.mssante.fr", i), Response: "r"}
				ok, err := tr.Claim(context.Background(), k, t0, week)
				if err != nil {
					t.Error(err)
				}
				if ok {
					wins.Add(1)
				}
			}
		})
	}
	wg.Wait()
	require.EqualValues(t, 4*200, wins.Load(), "one win per (mailbox, sender)")
	for g := range 4 {
		require.Equal(t, 200, tr.Len(fmt.Sprintf("box%d@esantepdl.mssante.fr", g)))
	}
}
