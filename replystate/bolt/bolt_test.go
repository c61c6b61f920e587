package bolt

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/tamis-mss/tamis/engine/vacation"
	"github.com/tamis-mss/tamis/replystate/replystatetest"
)

func open(t *testing.T, path string, opts Options) *Tracker {
	t.Helper()
	tr, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	return tr
}

func TestTracker(t *testing.T) {
	replystatetest.Run(t, func(t *testing.T) vacation.Tracker {
		return open(t, filepath.Join(t.TempDir(), "replies.db"), Options{})
	})
}

var (
	t0   = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	week = 7 * 24 * time.Hour
	key  = vacation.Key{Mailbox: "dr.martin@medecin.mssante.fr", Sender: "secretariat@chu-nantes.mssante.fr", Response: "r1"}
)

func TestSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "replies.db")
	ctx := context.Background()
	tr, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := tr.Claim(ctx, key, t0, week); !ok || err != nil {
		t.Fatalf("first claim = %v, %v", ok, err)
	}
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
	tr = open(t, path, Options{})
	if ok, err := tr.Claim(ctx, key, t0.Add(time.Hour), week); ok || err != nil {
		t.Fatalf("claim after reopening = %v, %v; want refused (the reply was sent an hour ago)", ok, err)
	}
}

func TestBoundPerMailbox(t *testing.T) {
	ctx := context.Background()
	tr := open(t, filepath.Join(t.TempDir(), "replies.db"), Options{MaxPerMailbox: 1000})
	for i := range 1005 {
		k := vacation.Key{Mailbox: key.Mailbox, Sender: fmt.Sprintf("s%d@chu-nantes.mssante.fr", i), Response: "r"}
		if ok, err := tr.Claim(ctx, k, t0.Add(time.Duration(i)*time.Second), week); !ok || err != nil {
			t.Fatalf("claim %d = %v, %v", i, ok, err)
		}
	}
	if n := tr.Len(key.Mailbox); n != 1000 {
		t.Fatalf("Len = %d; want the bound, 1000", n)
	}
	// The five oldest were forgotten: they may get a reply again; the
	// newest may not. The refused claims come first: a granted one records
	// a reply and so forgets the oldest remembered (sender 5, then 6).
	for _, c := range []struct {
		sender int
		want   bool
	}{{5, false}, {1004, false}, {0, true}, {4, true}} {
		k := vacation.Key{Mailbox: key.Mailbox, Sender: fmt.Sprintf("s%d@chu-nantes.mssante.fr", c.sender), Response: "r"}
		if ok, err := tr.Claim(ctx, k, t0.Add(2*time.Hour), week); ok != c.want || err != nil {
			t.Errorf("claim of sender %d after the bound = %v, %v; want %v", c.sender, ok, err, c.want)
		}
	}
}

func TestSweep(t *testing.T) {
	ctx := context.Background()
	tr := open(t, filepath.Join(t.TempDir(), "replies.db"), Options{})
	other := vacation.Key{Mailbox: "cabinet@esantepdl.mssante.fr", Sender: key.Sender, Response: "r"}
	day := 24 * time.Hour
	for _, c := range []struct {
		k      vacation.Key
		period time.Duration
	}{{key, week}, {other, day}} {
		if ok, err := tr.Claim(ctx, c.k, t0, c.period); !ok || err != nil {
			t.Fatal(ok, err)
		}
	}
	n, err := tr.Sweep(ctx, t0.Add(2*day))
	if err != nil || n != 1 {
		t.Fatalf("Sweep after two days = %d, %v; want the one-day reply deleted", n, err)
	}
	if tr.Len(other.Mailbox) != 0 || tr.Len(key.Mailbox) != 1 {
		t.Fatalf("after the sweep: %d and %d replies; want 0 and 1", tr.Len(other.Mailbox), tr.Len(key.Mailbox))
	}
	if ok, _ := tr.Claim(ctx, key, t0.Add(2*day), week); ok {
		t.Fatal("the weekly reply was granted again after two days: the sweep deleted a live entry")
	}
	if n, err := tr.Sweep(ctx, t0.Add(8*day)); err != nil || n != 1 {
		t.Fatalf("Sweep after eight days = %d, %v; want 1", n, err)
	}
	if ok, _ := tr.Claim(ctx, key, t0.Add(8*day), week); !ok {
		t.Fatal("no reply after the period and the sweep")
	}
}

func TestLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "replies.db")
	open(t, path, Options{})
	if _, err := Open(path, Options{Timeout: 100 * time.Millisecond}); err == nil {
		t.Fatal("a second Open of a file in use succeeded; want a timeout error")
	}
}

func BenchmarkClaim(b *testing.B) {
	ctx := context.Background()
	tr, err := Open(filepath.Join(b.TempDir(), "replies.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer tr.Close()
	b.Run("refused", func(b *testing.B) {
		tr.Claim(ctx, key, t0, week)
		b.ReportAllocs()
		for b.Loop() {
			if ok, err := tr.Claim(ctx, key, t0, week); ok || err != nil {
				b.Fatal(ok, err)
			}
		}
	})
	b.Run("granted", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			if ok, err := tr.Claim(ctx, key, t0.Add(time.Duration(i)*week), week); !ok || err != nil {
				b.Fatal(ok, err)
			}
		}
	})
}
