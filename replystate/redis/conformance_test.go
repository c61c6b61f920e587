package redis_test

import (
	"fmt"
	"testing"

	"github.com/alicebob/miniredis/v2"
	goredis "github.com/redis/go-redis/v9"

	"github.com/tamis-mss/tamis/engine/vacation"
	"github.com/tamis-mss/tamis/internal/redistest"
	replyredis "github.com/tamis-mss/tamis/replystate/redis"
	"github.com/tamis-mss/tamis/replystate/replystatetest"
)

func TestConformanceMiniredis(t *testing.T) {
	replystatetest.Run(t, func(t *testing.T) vacation.Tracker {
		mr := miniredis.RunT(t)
		c := goredis.NewClient(&goredis.Options{Addr: mr.Addr()})
		t.Cleanup(func() { c.Close() })
		return replyredis.New(c, replyredis.Options{})
	})
}

// TestConformanceRedis runs the suite on a real redis-server; each subtest
// has its own prefix, so its tracker starts empty.
func TestConformanceRedis(t *testing.T) {
	srv := redistest.Start(t)
	c := srv.Client()
	n := 0
	replystatetest.Run(t, func(t *testing.T) vacation.Tracker {
		n++
		return replyredis.New(c, replyredis.Options{Prefix: fmt.Sprintf("t%d:", n)})
	})
}
