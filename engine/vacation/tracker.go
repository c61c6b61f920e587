package vacation

import (
	"context"
	"errors"
	"time"
)

// DefaultMaxPerMailbox is the default and minimum number of replies a
// tracker remembers per mailbox.
const DefaultMaxPerMailbox = 1000

// Key identifies a reply for tracking: at most one reply with the same
// response goes to the same sender from the same mailbox per period.
type Key struct {
	// Mailbox is the holder's mailbox address.
	Mailbox string
	// Sender is the envelope sender the reply goes to.
	Sender string
	// Response is ResponseID's value for the reply.
	Response string
}

// Normalize returns the key with both addresses normalised by
// NormalizeAddress. Trackers normalise the keys they are given.
func (k Key) Normalize() Key {
	return Key{Mailbox: NormalizeAddress(k.Mailbox), Sender: NormalizeAddress(k.Sender), Response: k.Response}
}

// ErrInvalidKey is returned by Claim for a key with an empty mailbox,
// sender or response.
var ErrInvalidKey = errors.New("vacation tracker: key with an empty mailbox, sender or response")

func (k Key) valid() bool { return k.Mailbox != "" && k.Sender != "" && k.Response != "" }

// Tracker records the absence replies sent, so that a sender gets at most
// one reply per period.
type Tracker interface {
	// Claim atomically decides whether a reply for key may be sent at now
	// (none sent within period before now) and, if so, records it. Errors
	// mean "unknown": the engine sends nothing.
	//
	// A refused claim records nothing: the period runs from the last reply
	// sent. A record dated after now (a clock that went back) counts as
	// sent at now and is rewritten so, so that it refuses for one period
	// at most. A period of zero or less allows every reply (and records
	// it).
	Claim(ctx context.Context, key Key, now time.Time, period time.Duration) (bool, error)
}

// allowed reports whether a reply last sent at last may be sent again at
// now, and the date the record must keep. A record from the future (the
// clock went back, or another host with a wrong clock wrote it) is clamped
// to now: it refuses for one period from now (a missed reply is better
// than a doubled one), not until its own date plus a period, which for a
// record dated years ahead would suppress every reply for years.
func allowed(last, now time.Time, period time.Duration) (ok bool, keep time.Time) {
	if last.After(now) {
		last = now
	}
	return period <= 0 || !now.Before(last.Add(period)), last
}
