package redis_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	goredis "github.com/redis/go-redis/v9"

	"github.com/tamis-mss/tamis/internal/redistest"
	"github.com/tamis-mss/tamis/store"
	storeredis "github.com/tamis-mss/tamis/store/redis"
)

const mbox = "dr.martin@medecin.mssante.fr"

func scriptNamed(t *testing.T, n, policy string) store.Script {
	t.Helper()
	name, err := store.ParseScriptName(n)
	if err != nil {
		t.Fatal(err)
	}
	return store.Script{Name: name, Sieve: []byte("keep;"), Policy: []byte(policy), Author: "dr.martin"}
}

// node opens a Store with a client of its own, as another tamis process
// would.
func node(t *testing.T, addr string, opts storeredis.Options) *storeredis.Store {
	t.Helper()
	c := goredis.NewClient(&goredis.Options{Addr: addr, DialTimeout: 300 * time.Millisecond, ReadTimeout: 300 * time.Millisecond, MaxRetries: 1})
	t.Cleanup(func() { c.Close() })
	return storeredis.New(c, opts)
}

func watch(t *testing.T, s *storeredis.Store) <-chan store.Change {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ch, err := s.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

// next returns the next Change within d, failing the test otherwise.
func next(t *testing.T, ch <-chan store.Change, d time.Duration, what string) store.Change {
	t.Helper()
	select {
	case c, ok := <-ch:
		if !ok {
			t.Fatalf("%s: watch channel closed", what)
		}
		return c
	case <-time.After(d):
		t.Fatalf("%s: no change within %v", what, d)
	}
	return store.Change{}
}

// quiet checks that nothing is reported for d.
func quiet(t *testing.T, ch <-chan store.Change, d time.Duration, what string) {
	t.Helper()
	select {
	case c := <-ch:
		t.Fatalf("%s: unexpected change %+v", what, c)
	case <-time.After(d):
	}
}

// TestWatchAcrossNodes: a write through node A is reported to node B's
// watcher, naming the mailbox, and B reads the new sources at once.
func TestWatchAcrossNodes(t *testing.T) {
	mr := miniredis.RunT(t)
	a := node(t, mr.Addr(), storeredis.Options{})
	b := node(t, mr.Addr(), storeredis.Options{})
	ch := watch(t, b)
	ctx := context.Background()
	start := time.Now()
	sc := scriptNamed(t, "roundcube", "policy 1")
	if err := a.PutScript(ctx, mbox, sc); err != nil {
		t.Fatal(err)
	}
	if err := a.SetActive(ctx, mbox, sc.Name); err != nil {
		t.Fatal(err)
	}
	for _, what := range []string{"PutScript on A", "SetActive on A"} {
		if c := next(t, ch, time.Second, what); c.Mailbox != mbox {
			t.Fatalf("%s reported as %+v, want mailbox %s", what, c, mbox)
		}
	}
	t.Logf("two changes on A seen by B in %v", time.Since(start))
	src, err := b.Sources(ctx, mbox)
	if err != nil || src.User == nil || string(src.User.Text) != "policy 1" {
		t.Fatalf("B's Sources = %+v, %v", src, err)
	}
	quiet(t, ch, 3*storeredis.DefaultResyncInterval, "no more writes")
}

// TestWatchResyncsAfterLostMessage: a change whose message never arrives
// (the counter moved without a PUBLISH reaching this node) is reported as
// "everything" within two resync intervals; a gap in generations at once.
func TestWatchResyncsAfterLostMessage(t *testing.T) {
	mr := miniredis.RunT(t)
	s := node(t, mr.Addr(), storeredis.Options{ResyncInterval: 100 * time.Millisecond})
	ch := watch(t, s)
	mr.Incr("tamis:{policies}:generation", 1) // a change whose message was lost
	if c := next(t, ch, time.Second, "lost message"); c.Mailbox != "" {
		t.Fatalf("lost message reported as %+v, want an empty Mailbox", c)
	}
	quiet(t, ch, 300*time.Millisecond, "after resynchronising")
	// A message two generations ahead: the one between was lost.
	mr.Incr("tamis:{policies}:generation", 2)
	mr.Publish("tamis:{policies}:changes", "3 "+mbox)
	if c := next(t, ch, time.Second, "gap"); c.Mailbox != "" {
		t.Fatalf("gap reported as %+v, want an empty Mailbox", c)
	}
	// The generation goes back (Redis lost its data): everything.
	mr.Set("tamis:{policies}:generation", "0")
	if c := next(t, ch, time.Second, "counter went back"); c.Mailbox != "" {
		t.Fatalf("counter reset reported as %+v", c)
	}
	quiet(t, ch, 300*time.Millisecond, "after the reset")
}

// TestWatchReaderBehind: a reader that does not keep up gets one
// "everything" Change once there is room, not a blocked store.
func TestWatchReaderBehind(t *testing.T) {
	mr := miniredis.RunT(t)
	s := node(t, mr.Addr(), storeredis.Options{})
	ch := watch(t, s)
	ctx := context.Background()
	for i := range 200 {
		if err := s.PutScript(ctx, fmt.Sprintf("m%d@medecin.mssante.fr", i), scriptNamed(t, "a", "p")); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(200 * time.Millisecond)
	got := 0
	everything := false
	for {
		select {
		case c := <-ch:
			got++
			everything = everything || c.Mailbox == ""
			continue
		case <-time.After(time.Second):
		}
		break
	}
	if !everything || got > 200 {
		t.Errorf("a reader behind by 200 changes got %d changes, everything=%v; want an empty-Mailbox Change", got, everything)
	}
}

// TestRedisRestart: with a real redis-server killed and restarted, the
// store answers ErrUnavailable while it is down, the watcher reports
// "everything" after reconnecting, and later writes are reported again.
func TestRedisRestart(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{AppendFsync: "always"})
	s := node(t, srv.Addr(), storeredis.Options{})
	ctx := context.Background()
	sc := scriptNamed(t, "roundcube", "policy 1")
	if err := s.PutScript(ctx, mbox, sc); err != nil {
		t.Fatal(err)
	}
	ch := watch(t, s)
	srv.Kill()
	if err := s.PutScript(ctx, mbox, sc); !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("PutScript with Redis down: %v, want ErrUnavailable", err)
	}
	if _, err := s.Sources(ctx, mbox); !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("Sources with Redis down: %v, want ErrUnavailable", err)
	}
	srv.Restart()
	// The health check notices the broken subscription within a few
	// seconds and subscribes again.
	if c := next(t, ch, 10*time.Second, "reconnection"); c.Mailbox != "" {
		t.Fatalf("reconnection reported as %+v, want an empty Mailbox", c)
	}
	got, err := s.Script(ctx, mbox, sc.Name)
	if err != nil || string(got.Policy) != "policy 1" {
		t.Fatalf("after restart: %+v, %v (appendfsync always kept it)", got, err)
	}
	if err := s.SetActive(ctx, mbox, sc.Name); err != nil {
		t.Fatal(err)
	}
	for {
		c := next(t, ch, time.Second, "write after restart")
		if c.Mailbox == mbox {
			break
		}
	}
}
