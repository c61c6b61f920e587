package redistest_test

import (
	"context"
	"testing"

	"github.com/tamis-mss/tamis/internal/redistest"
)

// TestRestartKeepsAppendOnlyData: a key written with appendfsync always
// survives a SIGKILL and a restart on the same address.
func TestRestartKeepsAppendOnlyData(t *testing.T) {
	s := redistest.Start(t, redistest.Options{AppendFsync: "always"})
	c := s.Client()
	ctx := context.Background()
	if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	addr := s.Addr()
	s.Kill()
	if err := c.Ping(ctx).Err(); err == nil {
		t.Fatal("PING answered after Kill")
	}
	s.Restart()
	if s.Addr() != addr {
		t.Errorf("restarted on %s, want %s", s.Addr(), addr)
	}
	if v, err := c.Get(ctx, "k").Result(); err != nil || v != "v" {
		t.Errorf("after restart GET k = %q, %v; want v", v, err)
	}
}

// TestWithoutAppendOnly: without the append-only file a restart starts
// empty (what tests of lost state rely on).
func TestWithoutAppendOnly(t *testing.T) {
	s := redistest.Start(t, redistest.Options{})
	c := s.Client()
	ctx := context.Background()
	if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	s.Stop()
	s.Restart()
	if n, err := c.Exists(ctx, "k").Result(); err != nil || n != 0 {
		t.Errorf("after restart without append-only file EXISTS k = %d, %v; want 0", n, err)
	}
}
