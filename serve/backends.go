package serve

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/tamis-mss/tamis/engine/vacation"
	"github.com/tamis-mss/tamis/replystate/bolt"
	"github.com/tamis-mss/tamis/store"
	"github.com/tamis-mss/tamis/store/dir"
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
}

// replyBackends opens the reply state named by [replies] backend. A
// tracker with a Sweep method (see Sweeper) is swept of expired replies
// every SweepInterval.
var replyBackends = map[string]func(RepliesConfig) (vacation.Tracker, io.Closer, error){
	"bolt": func(c RepliesConfig) (vacation.Tracker, io.Closer, error) {
		t, err := bolt.Open(c.Path, bolt.Options{MaxPerMailbox: c.MaxPerMailbox})
		if err != nil {
			return nil, nil, fmt.Errorf("[replies] %w", err)
		}
		return t, t, nil
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
