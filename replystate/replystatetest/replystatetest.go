// Package replystatetest checks that a vacation.Tracker behaves as tamis
// serve needs: one reply per sender and period, atomic under concurrent
// claims, keys compared as normalised addresses. Every reply state backend
// runs Run in its tests.
package replystatetest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tamis-mss/tamis/engine/vacation"
)

// Run checks the tracker newTracker returns; it is called once per subtest
// and must return an empty tracker.
func Run(t *testing.T, newTracker func(t *testing.T) vacation.Tracker) {
	ctx := context.Background()
	t0 := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	week := 7 * 24 * time.Hour
	key := vacation.Key{Mailbox: "dr.martin@medecin.mssante.fr", Sender: "secretariat@chu-nantes.mssante.fr", Response: "r1"}

	t.Run("period", func(t *testing.T) {
		tr := newTracker(t)
		claim := func(at time.Time, want bool) {
			t.Helper()
			ok, err := tr.Claim(ctx, key, at, week)
			if err != nil || ok != want {
				t.Fatalf("Claim at %s = %v, %v; want %v", at, ok, err, want)
			}
		}
		claim(t0, true)
		claim(t0.Add(time.Hour), false)
		claim(t0.Add(week-time.Second), false)
		claim(t0.Add(week), true)
		// The period runs from the last reply granted.
		claim(t0.Add(week+24*time.Hour), false)
		claim(t0.Add(2*week), true)
	})

	t.Run("keys", func(t *testing.T) {
		tr := newTracker(t)
		for _, k := range []vacation.Key{
			key,
			{Mailbox: key.Mailbox, Sender: "other@chu-nantes.mssante.fr", Response: key.Response},
			{Mailbox: key.Mailbox, Sender: key.Sender, Response: "r2"},
			{Mailbox: "cabinet@esantepdl.mssante.fr", Sender: key.Sender, Response: key.Response},
		} {
			if ok, err := tr.Claim(ctx, k, t0, week); !ok || err != nil {
				t.Fatalf("first Claim(%v) = %v, %v; want a reply", k, ok, err)
			}
		}
		upper := vacation.Key{Mailbox: "<Dr.Martin@Medecin.MSSante.fr>", Sender: " Secretariat@CHU-Nantes.mssante.fr ", Response: key.Response}
		if ok, err := tr.Claim(ctx, upper, t0.Add(time.Minute), week); ok || err != nil {
			t.Fatalf("Claim of the same key in other case = %v, %v; want refused", ok, err)
		}
	})

	t.Run("zero-period", func(t *testing.T) {
		tr := newTracker(t)
		for i := range 3 {
			if ok, err := tr.Claim(ctx, key, t0.Add(time.Duration(i)*time.Second), 0); !ok || err != nil {
				t.Fatalf("Claim %d with period 0 = %v, %v; want a reply", i, ok, err)
			}
		}
	})

	t.Run("invalid", func(t *testing.T) {
		tr := newTracker(t)
		_, err := tr.Claim(ctx, vacation.Key{Mailbox: key.Mailbox, Response: "r"}, t0, week)
		if !errors.Is(err, vacation.ErrInvalidKey) {
			t.Fatalf("Claim without sender: err = %v; want ErrInvalidKey", err)
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if ok, err := tr.Claim(cctx, key, t0, week); ok || err == nil {
			t.Fatalf("Claim with a cancelled context = %v, %v; want an error", ok, err)
		}
	})

	t.Run("concurrent", func(t *testing.T) {
		tr := newTracker(t)
		var granted atomic.Int32
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for range 16 {
			wg.Go(func() {
				ok, err := tr.Claim(ctx, key, t0, week)
				if err != nil {
					errs <- err
				}
				if ok {
					granted.Add(1)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if n := granted.Load(); n != 1 {
			t.Fatalf("%d of 16 concurrent claims granted; want exactly 1", n)
		}
	})
}
