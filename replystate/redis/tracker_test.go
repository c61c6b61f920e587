package redis_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	goredis "github.com/redis/go-redis/v9"

	"github.com/tamis-mss/tamis/engine/vacation"
	replyredis "github.com/tamis-mss/tamis/replystate/redis"
)

const day = 24 * time.Hour

var t0 = time.Date(2025, 12, 22, 9, 0, 0, 0, time.UTC)

func newTracker(t *testing.T) (*replyredis.Tracker, *miniredis.Miniredis, *goredis.Client) {
	t.Helper()
	mr := miniredis.RunT(t)
	c := goredis.NewClient(&goredis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { c.Close() })
	return replyredis.New(c, replyredis.Options{}), mr, c
}

var key = vacation.Key{Mailbox: "cabinet-des-lilas@esantepdl.mssante.fr", Sender: "dr.martin@chu-nantes.mssante.fr", Response: "absence-noel"}

func claim(t *testing.T, tr vacation.Tracker, k vacation.Key, now time.Time, period time.Duration) bool {
	t.Helper()
	ok, err := tr.Claim(context.Background(), k, now, period)
	if err != nil {
		t.Fatalf("Claim(%v, %v): %v", k, now, err)
	}
	return ok
}

func TestClaimOncePerPeriod(t *testing.T) {
	tr, mr, _ := newTracker(t)
	if !claim(t, tr, key, t0, 7*day) {
		t.Fatal("first claim refused")
	}
	if claim(t, tr, key, t0.Add(time.Hour), 7*day) {
		t.Fatal("second claim within the period granted")
	}
	// Another sender, another response, another mailbox: their own records.
	for _, k := range []vacation.Key{
		{Mailbox: key.Mailbox, Sender: "autre@chu-nantes.mssante.fr", Response: key.Response},
		{Mailbox: key.Mailbox, Sender: key.Sender, Response: "autre-reponse"},
		{Mailbox: "secretariat@chu-nantes.mssante.fr", Sender: key.Sender, Response: key.Response},
	} {
		if !claim(t, tr, k, t0.Add(time.Hour), 7*day) {
			t.Errorf("claim %v refused: records leak across keys", k)
		}
	}
	// The caller's clock decides: one millisecond before the period ends,
	// still refused; at its end, granted (Redis still holds the record).
	mr.FastForward(7*day - time.Second)
	if claim(t, tr, key, t0.Add(7*day-time.Millisecond), 7*day) {
		t.Error("claim one millisecond before the period's end granted")
	}
	if !claim(t, tr, key, t0.Add(7*day), 7*day) {
		t.Error("claim at the period's end refused")
	}
}

func TestRecordExpiresAfterPeriod(t *testing.T) {
	tr, mr, _ := newTracker(t)
	claim(t, tr, key, t0, 7*day)
	k := tr.Key(key)
	if got := mr.TTL(k); got != 7*day {
		t.Fatalf("TTL of the record = %v, want the period (7 days)", got)
	}
	if v, err := mr.Get(k); err != nil || v != fmt.Sprint(t0.UnixMilli()) {
		t.Fatalf("record = %q, %v; want the claim time in Unix milliseconds", v, err)
	}
	// A refused claim records nothing: neither the time nor the expiry move.
	mr.FastForward(day)
	claim(t, tr, key, t0.Add(day), 7*day)
	if got := mr.TTL(k); got != 6*day {
		t.Errorf("TTL after a refused claim = %v, want 6 days (unchanged)", got)
	}
	if v, _ := mr.Get(k); v != fmt.Sprint(t0.UnixMilli()) {
		t.Errorf("a refused claim rewrote the record: %q", v)
	}
	mr.FastForward(6 * day)
	if mr.Exists(k) {
		t.Fatal("the record outlived its period")
	}
	if n := len(mr.Keys()); n != 0 {
		t.Errorf("%d keys left after every period ended: %q", n, mr.Keys())
	}
}

// TestClockGoesBack: a record from the future keeps refusing until its time
// plus the period, as MemoryTracker does.
func TestClockGoesBack(t *testing.T) {
	tr, mr, _ := newTracker(t)
	claim(t, tr, key, t0, day)
	for _, back := range []time.Duration{time.Second, time.Hour, 3 * day} {
		if claim(t, tr, key, t0.Add(-back), day) {
			t.Errorf("claim with the clock %v back granted", back)
		}
	}
	mr.FastForward(day / 2)
	if claim(t, tr, key, t0.Add(day-time.Millisecond), day) {
		t.Error("claim before the record's time plus the period granted")
	}
	if !claim(t, tr, key, t0.Add(day), day) {
		t.Error("claim at the record's time plus the period refused")
	}
}

func TestNormalisedKeys(t *testing.T) {
	tr, mr, _ := newTracker(t)
	claim(t, tr, vacation.Key{Mailbox: "<Cabinet-des-Lilas@ESantePDL.mssante.fr>", Sender: "Dr.Martin@CHU-Nantes.mssante.fr", Response: key.Response}, t0, day)
	if claim(t, tr, key, t0.Add(time.Minute), day) {
		t.Error("keys that differ only by case and angle brackets are different records")
	}
	keys := mr.Keys()
	want := "tamis:reply:{cabinet-des-lilas@esantepdl.mssante.fr}:"
	if len(keys) != 1 || len(keys[0]) != len(want)+32 || keys[0][:len(want)] != want {
		t.Errorf("keys = %q, want one %s<32 hex digits>", keys, want)
	}
}

func TestPrefixIsolatesDeployments(t *testing.T) {
	mr := miniredis.RunT(t)
	c := goredis.NewClient(&goredis.Options{Addr: mr.Addr()})
	defer c.Close()
	a := replyredis.New(c, replyredis.Options{Prefix: "nantes:"})
	b := replyredis.New(c, replyredis.Options{Prefix: "lyon:"})
	if !claim(t, a, key, t0, day) || !claim(t, b, key, t0, day) {
		t.Fatal("deployments with different prefixes share records")
	}
	if claim(t, a, key, t0, day) {
		t.Fatal("second claim with the same prefix granted")
	}
}

func TestInvalidKeyAndPeriod(t *testing.T) {
	tr, mr, _ := newTracker(t)
	for _, k := range []vacation.Key{{Sender: "a@b", Response: "r"}, {Mailbox: "a@b", Response: "r"}, {Mailbox: "a@b", Sender: "c@d"}} {
		if _, err := tr.Claim(context.Background(), k, t0, day); !errors.Is(err, vacation.ErrInvalidKey) {
			t.Errorf("Claim(%+v) error %v, want ErrInvalidKey", k, err)
		}
	}
	// A period of zero allows every reply and keeps nothing.
	for range 3 {
		if !claim(t, tr, key, t0, 0) {
			t.Error("claim with a zero period refused")
		}
	}
	if n := len(mr.Keys()); n != 0 {
		t.Errorf("a zero period left %d records", n)
	}
	// A sub-millisecond period still refuses within itself.
	claim(t, tr, key, t0, time.Microsecond)
	if claim(t, tr, key, t0, time.Microsecond) {
		t.Error("a claim at the same instant within a 1µs period was granted")
	}
}

func TestScriptCacheFlushed(t *testing.T) {
	tr, _, c := newTracker(t)
	claim(t, tr, key, t0, day)
	if err := c.ScriptFlush(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	// EVALSHA answers NOSCRIPT; the client loads the script again.
	if claim(t, tr, key, t0.Add(time.Minute), day) {
		t.Error("claim after SCRIPT FLUSH granted")
	}
}

// TestUnavailable: an unreachable Redis is an error wrapping ErrUnavailable
// (never a grant), within the client's timeouts.
func TestUnavailable(t *testing.T) {
	mr := miniredis.RunT(t)
	c := goredis.NewClient(&goredis.Options{Addr: mr.Addr(), DialTimeout: 200 * time.Millisecond, ReadTimeout: 200 * time.Millisecond, MaxRetries: 1})
	defer c.Close()
	tr := replyredis.New(c, replyredis.Options{})
	claim(t, tr, key, t0, day)
	mr.Close()
	start := time.Now()
	ok, err := tr.Claim(context.Background(), key, t0.Add(2*day), day)
	if ok || !errors.Is(err, replyredis.ErrUnavailable) {
		t.Fatalf("Claim with Redis down = %v, %v; want false and ErrUnavailable", ok, err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Claim took %v with Redis down: timeouts not applied", d)
	}
	// Redis returns: claims are decided again.
	if err := mr.Restart(); err != nil {
		t.Fatal(err)
	}
	if ok, err := tr.Claim(context.Background(), key, t0.Add(2*day), day); err != nil || !ok {
		t.Errorf("Claim after Redis came back = %v, %v", ok, err)
	}
	// A cancelled context is the caller's error, not ErrUnavailable.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := tr.Claim(ctx, key, t0, day); !errors.Is(err, context.Canceled) || errors.Is(err, replyredis.ErrUnavailable) {
		t.Errorf("Claim with a cancelled context: %v", err)
	}
}

// TestConcurrentNodes: 200 claims of one key at once from two clients (two
// nodes) grant exactly one reply.
func TestConcurrentNodes(t *testing.T) {
	mr := miniredis.RunT(t)
	var trackers []*replyredis.Tracker
	for range 2 {
		c := goredis.NewClient(&goredis.Options{Addr: mr.Addr(), PoolSize: 20})
		defer c.Close()
		trackers = append(trackers, replyredis.New(c, replyredis.Options{}))
	}
	var granted atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 200 {
		wg.Go(func() {
			<-start
			ok, err := trackers[i%2].Claim(context.Background(), key, t0.Add(time.Duration(i)*time.Millisecond), day)
			if err != nil {
				t.Error(err)
			}
			if ok {
				granted.Add(1)
			}
		})
	}
	close(start)
	wg.Wait()
	if n := granted.Load(); n != 1 {
		t.Fatalf("%d replies granted, want exactly 1", n)
	}
}

// TestAgreesWithMemoryTracker runs random claim sequences (clock moving
// forward, several keys and periods) against MemoryTracker and the Redis
// tracker, with miniredis's clock following the caller's: every decision
// must be the same.
func TestAgreesWithMemoryTracker(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 2025))
	for seq := range 20 {
		tr, mr, _ := newTracker(t)
		mem := vacation.NewMemoryTracker(0)
		now := t0
		for step := range 300 {
			k := vacation.Key{
				Mailbox:  fmt.Sprintf("box%d@medecin.mssante.fr", rng.IntN(3)),
				Sender:   fmt.Sprintf("sender%d@chu.mssante.fr", rng.IntN(4)),
				Response: fmt.Sprintf("r%d", rng.IntN(2)),
			}
			// One period per response, as a policy gives (a record
			// expires after the period it was written with).
			period := map[string]time.Duration{"r0": 7 * day, "r1": 5 * time.Hour}[k.Response]
			want := claim(t, mem, k, now, period)
			if got := claim(t, tr, k, now, period); got != want {
				t.Fatalf("sequence %d step %d: %v at %v period %v: Redis %v, memory %v", seq, step, k, now, period, got, want)
			}
			d := time.Duration(rng.Int64N(12*3600)) * time.Second
			now = now.Add(d)
			mr.FastForward(d)
		}
	}
}
