package redis

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/tamis-mss/tamis/engine/vacation"
)

// DefaultPrefix is the prefix of every key the tracker writes when Options
// give none.
const DefaultPrefix = "tamis:"

// ErrUnavailable is wrapped by the errors of Claim when Redis could not
// decide the claim (unreachable, timed out, read-only replica, script
// error): the reply must not be sent, and the delivery should be retried.
var ErrUnavailable = errors.New("reply state on Redis unavailable")

// Options configure a Tracker.
type Options struct {
	// Prefix starts every key; DefaultPrefix when empty. Several tamis
	// deployments can share one Redis with different prefixes.
	Prefix string
}

// Tracker is a vacation.Tracker on Redis. It is safe for concurrent use; the
// Redis client's pool bounds its connections.
type Tracker struct {
	client goredis.UniversalClient
	prefix string
}

var _ vacation.Tracker = (*Tracker)(nil)

// New returns a Tracker that keeps its records through client. The caller
// owns the client (its addresses, timeouts and pool size) and closes it.
func New(client goredis.UniversalClient, opts Options) *Tracker {
	prefix := opts.Prefix
	if prefix == "" {
		prefix = DefaultPrefix
	}
	return &Tracker{client: client, prefix: prefix}
}

// claimScript decides and records a claim atomically.
//
// KEYS[1]: the record. ARGV[1]: now, Unix milliseconds. ARGV[2]: the period
// in milliseconds (> 0). Returns 1 when granted (the record is now ARGV[1],
// expiring after the period), 0 when refused (nothing changes).
var claimScript = goredis.NewScript(`
local now = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local last = redis.call('GET', KEYS[1])
if last then
  last = tonumber(last)
  if last and now < last + period then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', period)
return 1
`)

// Claim implements vacation.Tracker. A period of zero or less grants the
// reply and records nothing: a record that refuses nothing need not be kept.
func (t *Tracker) Claim(ctx context.Context, key vacation.Key, now time.Time, period time.Duration) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	key = key.Normalize()
	if key.Mailbox == "" || key.Sender == "" || key.Response == "" {
		return false, vacation.ErrInvalidKey
	}
	if period <= 0 {
		return true, nil
	}
	// Sub-millisecond periods are rounded up so that they still refuse.
	ms := max(period.Milliseconds(), 1)
	res, err := claimScript.Run(ctx, t.client, []string{t.Key(key)},
		strconv.FormatInt(now.UnixMilli(), 10), strconv.FormatInt(ms, 10)).Int()
	if err != nil {
		if ctx.Err() != nil {
			return false, fmt.Errorf("claim absence reply of %s to %s: %w", key.Mailbox, key.Sender, ctx.Err())
		}
		return false, fmt.Errorf("claim absence reply of %s to %s: %w: %w", key.Mailbox, key.Sender, ErrUnavailable, err)
	}
	return res == 1, nil
}

// Key returns the Redis key of the record of key, normalised (see the
// package documentation).
func (t *Tracker) Key(key vacation.Key) string {
	key = key.Normalize()
	h := sha256.New()
	h.Write([]byte(key.Sender))
	h.Write([]byte{0})
	h.Write([]byte(key.Response))
	var sum [sha256.Size]byte
	return t.prefix + "reply:{" + key.Mailbox + "}:" + hex.EncodeToString(h.Sum(sum[:0])[:16])
}
