package serve

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/tamis-mss/tamis/engine/vacation"
	"github.com/tamis-mss/tamis/replystate/bolt"
	replyredis "github.com/tamis-mss/tamis/replystate/redis"
	"github.com/tamis-mss/tamis/store"
	"github.com/tamis-mss/tamis/store/dir"
	storeredis "github.com/tamis-mss/tamis/store/redis"
)

// storeBackends opens the policy store named by [store] backend. A new
// backend is one entry here and, if it needs settings, a field of
// StoreConfig.
var storeBackends = map[string]func(StoreConfig) (store.Store, io.Closer, error){
	"dir": func(c StoreConfig) (store.Store, io.Closer, error) {
		s, err := dir.Open(c.Path)
		if err != nil {
			return nil, nil, fmt.Errorf("[store] open %s: %w", c.Path, err)
		}
		return s, nil, nil
	},
	"redis": func(c StoreConfig) (store.Store, io.Closer, error) {
		client, err := c.Redis.NewClient()
		if err != nil {
			return nil, nil, fmt.Errorf("[store.redis] %w", err)
		}
		return storeredis.New(client, storeredis.Options{Prefix: c.Redis.Prefix}), client, nil
	},
}

// replyBackends opens the reply state named by [replies] backend. A
// tracker with a Sweep method (see Sweeper) is swept of expired replies
// every SweepInterval.
var replyBackends = map[string]func(RepliesConfig) (vacation.Tracker, io.Closer, error){
	"bolt": func(c RepliesConfig) (vacation.Tracker, io.Closer, error) {
		if err := os.MkdirAll(filepath.Dir(c.Path), 0o700); err != nil {
			return nil, nil, fmt.Errorf("[replies] %w", err)
		}
		t, err := bolt.Open(c.Path, bolt.Options{MaxPerMailbox: c.MaxPerMailbox})
		if err != nil {
			return nil, nil, fmt.Errorf("[replies] %w", err)
		}
		return t, t, nil
	},
	"redis": func(c RepliesConfig) (vacation.Tracker, io.Closer, error) {
		client, err := c.Redis.NewClient()
		if err != nil {
			return nil, nil, fmt.Errorf("[replies.redis] %w", err)
		}
		return replyredis.New(client, replyredis.Options{Prefix: c.Redis.Prefix}), client, nil
	},
}

func knownBackend[F any](m map[string]F, name string) bool {
	_, ok := m[name]
	return ok
}

func backendNames[F any](m map[string]F) string {
	return `"` + strings.Join(slices.Sorted(maps.Keys(m)), `", "`) + `"`
}

// OpenStore opens the policy store the configuration names. The closer,
// when not nil, must be closed after use.
func OpenStore(c StoreConfig) (store.Store, io.Closer, error) {
	open, ok := storeBackends[c.Backend]
	if !ok {
		return nil, nil, fmt.Errorf("[store] backend %q: one of %s", c.Backend, backendNames(storeBackends))
	}
	return open(c)
}

// OpenReplies opens the reply state the configuration names. The closer,
// when not nil, must be closed after use.
func OpenReplies(c RepliesConfig) (vacation.Tracker, io.Closer, error) {
	open, ok := replyBackends[c.Backend]
	if !ok {
		return nil, nil, fmt.Errorf("[replies] backend %q: one of %s", c.Backend, backendNames(replyBackends))
	}
	return open(c)
}

// Sweeper is a reply state that deletes expired replies when asked.
type Sweeper interface {
	Sweep(ctx context.Context, now time.Time) (int, error)
}

// Releaser is a reply state that can forget a granted claim, so that a
// reply that could not be handed off is sent when the MTA retries the
// delivery. Without it such a reply is lost (logged and counted).
type Releaser interface {
	Release(ctx context.Context, key vacation.Key, sent time.Time) error
}
