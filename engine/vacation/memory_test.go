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
	return Key{Mailbox: mailbox, Sender: sender, Response: responseID("", "Le cabinet est fermé.", "", "")}
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
	require.True(t, claim(Key{mailbox, sender, responseID("", "Le cabinet est ouvert.", "", "")}, t0.Add(2*week), week),
		"a changed text replies again")
	require.True(t, claim(Key{mailbox, sender, "handle"}, t0.Add(2*week), 0), "no period")
	require.True(t, claim(Key{mailbox, sender, "handle"}, t0.Add(2*week), 0), "no period, again")
	require.False(t, claim(k, t0.Add(2*week-time.Hour), week), "the clock went back: still refused")

	future := key("futur@chu-nantes.mssante.fr")
	require.True(t, claim(future, t0.AddDate(50, 0, 0), week), "a reply recorded by a clock 50 years ahead")
	require.False(t, claim(future, t0, week), "a record from the future refuses for one period from now")
	require.False(t, claim(future, t0.Add(week-time.Second), week))
	require.True(t, claim(future, t0.Add(week), week), "a record from the future is clamped to now, not kept for 50 years")

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

func TestMemoryTrackerOptions(t *testing.T) {
	tr := NewMemoryTracker(0)
	require.Equal(t, DefaultMaxTotal, tr.MaxTotal(), "NewMemoryTracker bounds the total too")
	tr = NewMemoryTrackerWith(MemoryTrackerOptions{MaxPerMailbox: 2000, MaxTotal: 10})
	require.Equal(t, 2000, tr.MaxPerMailbox())
	require.Equal(t, 2000, tr.MaxTotal(), "raised to the per-mailbox bound")
	tr = NewMemoryTrackerWith(MemoryTrackerOptions{MaxTotal: 50_000})
	require.Equal(t, DefaultMaxPerMailbox, tr.MaxPerMailbox())
	require.Equal(t, 50_000, tr.MaxTotal())
}

// TestMemoryTrackerEvictsGloballyOldest fills three mailboxes one after the
// other beyond the total bound: the oldest replies go first, whatever their
// mailbox, and a reply renewed after its period counts as new.
func TestMemoryTrackerEvictsGloballyOldest(t *testing.T) {
	ctx := context.Background()
	tr := NewMemoryTrackerWith(MemoryTrackerOptions{MaxTotal: 2500})
	boxKey := func(box string, i int) Key {
		return Key{Mailbox: box, Sender: fmt.Sprintf("s%04d@chu-nantes.mssante.fr", i), Response: "r"}
	}
	claim := func(k Key, at time.Time) bool {
		t.Helper()
		ok, err := tr.Claim(ctx, k, at, week)
		require.NoError(t, err)
		return ok
	}
	a, b, c := "a@esantepdl.mssante.fr", "b@esantepdl.mssante.fr", "c@esantepdl.mssante.fr"
	at := t0
	tick := func() time.Time { at = at.Add(time.Second); return at }
	for i := range 1000 {
		require.True(t, claim(boxKey(a, i), tick()))
	}
	// a's first reply is renewed after its period: it becomes the newest.
	require.True(t, claim(boxKey(a, 0), t0.Add(week+time.Hour)))
	at = t0.Add(week + time.Hour)
	for i := range 1000 {
		require.True(t, claim(boxKey(b, i), tick()))
	}
	entries, boxes := tr.Total()
	require.Equal(t, 2000, entries)
	require.Equal(t, 2, boxes)
	for i := range 1000 {
		require.True(t, claim(boxKey(c, i), tick()))
	}
	entries, boxes = tr.Total()
	require.Equal(t, 2500, entries)
	require.Equal(t, 3, boxes)
	require.Equal(t, 1000, tr.Len(c))
	require.Equal(t, 1000, tr.Len(b))
	require.Equal(t, 500, tr.Len(a), "the 500 oldest replies, all a's, were dropped")

	// a's replies 1 to 999 went at t0+2s…t0+1000s: at t0+2000s, within
	// their period, only a forgotten one may be sent again.
	early := t0.Add(2000 * time.Second)
	require.False(t, claim(boxKey(a, 0), t0.Add(week+2*time.Hour)), "a's renewed reply is remembered")
	require.False(t, claim(boxKey(a, 999), early), "a's newest replies are remembered")
	require.False(t, claim(boxKey(a, 501), early), "a's newest replies are remembered")
	require.True(t, claim(boxKey(a, 500), early), "a's oldest replies were forgotten")
	require.True(t, claim(boxKey(a, 1), early), "a's oldest replies were forgotten")
}

// TestMemoryTrackerForgetsMailboxes checks that the number of mailboxes is
// bounded too: a mailbox whose entries all went is forgotten.
func TestMemoryTrackerForgetsMailboxes(t *testing.T) {
	ctx := context.Background()
	tr := NewMemoryTrackerWith(MemoryTrackerOptions{MaxTotal: 1000})
	for i := range 20_000 {
		k := Key{Mailbox: fmt.Sprintf("box%05d@esantepdl.mssante.fr", i), Sender: sender, Response: "r"}
		ok, err := tr.Claim(ctx, k, t0.Add(time.Duration(i)*time.Second), week)
		require.NoError(t, err)
		require.True(t, ok)
	}
	entries, boxes := tr.Total()
	require.Equal(t, 1000, entries)
	require.Equal(t, 1000, boxes)
	require.Zero(t, tr.Len("box00000@esantepdl.mssante.fr"))
	require.Equal(t, 1, tr.Len("box19999@esantepdl.mssante.fr"))
}

// TestMemoryTrackerConcurrentTotalBound claims from many goroutines over
// many mailboxes with a small total bound: the bound holds, and every
// remembered reply is still refused.
func TestMemoryTrackerConcurrentTotalBound(t *testing.T) {
	tr := NewMemoryTrackerWith(MemoryTrackerOptions{MaxTotal: 1000})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				k := Key{Mailbox: fmt.Sprintf("box%d-%d@esantepdl.mssante.fr", g, i%50), Sender: fmt.Sprintf("s%d@chu-nantes.mssante.fr", i), Response: "r"}
				if _, err := tr.Claim(context.Background(), k, t0, week); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	entries, boxes := tr.Total()
	require.Equal(t, 1000, entries)
	require.LessOrEqual(t, boxes, 1000)
	sum := 0
	for g := range 8 {
		for b := range 50 {
			sum += tr.Len(fmt.Sprintf("box%d-%d@esantepdl.mssante.fr", g, b))
		}
	}
	require.Equal(t, entries, sum, "the per-mailbox lists and the total agree")
}
