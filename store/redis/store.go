package redis

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	goredis "github.com/redis/go-redis/v9"

	"github.com/tamis-mss/tamis/store"
)

// DefaultPrefix starts every key when Options give no prefix.
const DefaultPrefix = "tamis:"

// DefaultResyncInterval is how often a watcher compares its last generation
// with the counter when Options give no interval.
const DefaultResyncInterval = 400 * time.Millisecond

// MaxMailboxBytes is the longest mailbox address accepted, in bytes (RFC
// 5321 limits a path to 256 octets).
const MaxMailboxBytes = 254

// Options configure a Store.
type Options struct {
	// Prefix starts every key and the channel name; DefaultPrefix when
	// empty. Several deployments can share one Redis with different
	// prefixes.
	Prefix string
	// ResyncInterval is how often Watch checks the generation counter for
	// missed notifications; DefaultResyncInterval when zero. A missed
	// change is reported within two intervals.
	ResyncInterval time.Duration
}

// Store is a policy store in Redis. It is safe for concurrent use, also by
// several processes (nodes) sharing one Redis.
type Store struct {
	client goredis.UniversalClient
	keys   keys
	resync time.Duration
}

var _ store.Store = (*Store)(nil)

// keys names the store's keys.
type keys struct {
	operator, mailboxes, generation, channel, mailboxPrefix string
}

func newKeys(prefix string) keys {
	p := prefix + "{policies}:"
	return keys{
		operator:      p + "operator",
		mailboxes:     p + "mailboxes",
		generation:    p + "generation",
		channel:       p + "changes",
		mailboxPrefix: p + "mailbox:",
	}
}

func (k keys) mailbox(key string) string { return k.mailboxPrefix + key }

// New returns a Store that keeps policies through client. The caller owns
// the client (addresses, timeouts, pool size) and closes it after the
// Store's last use.
func New(client goredis.UniversalClient, opts Options) *Store {
	prefix := opts.Prefix
	if prefix == "" {
		prefix = DefaultPrefix
	}
	resync := opts.ResyncInterval
	if resync <= 0 {
		resync = DefaultResyncInterval
	}
	return &Store{client: client, keys: newKeys(prefix), resync: resync}
}

// Fields of a mailbox hash (and of the operator hash, for layers).
const (
	sieveField  = "sieve:"
	rulesField  = "rules:"
	authorField = "author:"
	activeField = "active"
	beforeField = "before:"
	afterField  = "after:"
)

// mailboxKey validates a mailbox address and returns it lower-cased, as
// store/dir does, so that both backends accept the same mailboxes.
func mailboxKey(mailbox string) (string, error) {
	key := strings.ToLower(mailbox)
	bad := func(why string) (string, error) {
		return "", fmt.Errorf("invalid mailbox %q: %s", mailbox, why)
	}
	switch {
	case key == "":
		return bad("it is empty")
	case len(key) > MaxMailboxBytes:
		return bad(fmt.Sprintf("it is longer than %d bytes", MaxMailboxBytes))
	case strings.HasPrefix(key, "."):
		return bad(`it starts with "."`)
	case strings.ContainsAny(key, `/\`):
		return bad(`it contains "/" or "\"`)
	}
	for _, r := range key {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == unicode.ReplacementChar {
			return bad(fmt.Sprintf("it contains %U", r))
		}
	}
	return key, nil
}

// unavailable wraps a Redis error so that callers see store.ErrUnavailable
// and what was being done; the context's own errors stay themselves.
func unavailable(ctx context.Context, what string, err error) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", what, errors.Join(ctx.Err(), err))
	}
	return fmt.Errorf("%s: %w: %w", what, store.ErrUnavailable, err)
}

func quote(n store.ScriptName) string { return fmt.Sprintf("%q", n.String()) }
