package redis_test

import (
	"context"
	"testing"

	"github.com/alicebob/miniredis/v2"
	goredis "github.com/redis/go-redis/v9"

	"github.com/tamis-mss/tamis/internal/redistest"
	storeredis "github.com/tamis-mss/tamis/store/redis"
	"github.com/tamis-mss/tamis/store/storetest"
)

func backend(s *storeredis.Store) storetest.Backend {
	return storetest.Backend{
		Store: s,
		PutLayer: func(ctx context.Context, mailbox string, before bool, name string, text []byte) error {
			pos := storeredis.After
			if before {
				pos = storeredis.Before
			}
			return s.PutLayer(ctx, mailbox, pos, name, text)
		},
	}
}

// TestConformanceMiniredis runs the store conformance suite on miniredis.
func TestConformanceMiniredis(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Backend {
		mr := miniredis.RunT(t)
		c := goredis.NewClient(&goredis.Options{Addr: mr.Addr()})
		t.Cleanup(func() { c.Close() })
		return backend(storeredis.New(c, storeredis.Options{}))
	})
}

// TestConformanceRedis runs the suite on a real redis-server, one per
// subtest's prefix.
func TestConformanceRedis(t *testing.T) {
	srv := redistest.Start(t)
	c := srv.Client()
	n := 0
	storetest.Run(t, func(t *testing.T) storetest.Backend {
		n++
		return backend(storeredis.New(c, storeredis.Options{Prefix: "t" + string(rune('a'+n)) + ":"}))
	})
}
