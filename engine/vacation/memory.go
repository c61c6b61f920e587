package vacation

import (
	"context"
	"strings"
	"sync"
	"time"
)

// MemoryTracker is the in-memory Tracker: the default for servers. It is
// safe for concurrent use and bounded per mailbox.
//
// Each mailbox keeps its entries in a list ordered by the time they were
// last recorded (an LRU where only a granted claim counts as a use): when a
// mailbox holds more than its bound, the entry whose reply is the oldest is
// dropped first. Refused claims do not reorder anything. The number of
// mailboxes is not bounded: there is one list per mailbox that claimed.
//
// The clock is the now argument of Claim: the host injects it.
type MemoryTracker struct {
	max   int
	mu    sync.RWMutex
	boxes map[string]*memoryBox
}

// memoryBox is the tracking list of one mailbox.
type memoryBox struct {
	mu         sync.Mutex
	entries    map[memoryKey]*memoryEntry
	head, tail *memoryEntry // head: oldest reply
}

type memoryKey struct{ sender, response string }

type memoryEntry struct {
	key        memoryKey
	sent       time.Time
	prev, next *memoryEntry
}

// NewMemoryTracker returns an empty MemoryTracker that remembers at most
// maxPerMailbox replies per mailbox. A bound below DefaultMaxPerMailbox
// (1,000), zero included, is raised to it.
func NewMemoryTracker(maxPerMailbox int) *MemoryTracker {
	return &MemoryTracker{max: max(maxPerMailbox, DefaultMaxPerMailbox), boxes: map[string]*memoryBox{}}
}

// MaxPerMailbox returns the bound on the entries of one mailbox.
func (t *MemoryTracker) MaxPerMailbox() int { return t.max }

// Claim implements Tracker. It fails only for an invalid key or a done ctx.
func (t *MemoryTracker) Claim(ctx context.Context, key Key, now time.Time, period time.Duration) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	key = key.Normalize()
	if !key.valid() {
		return false, ErrInvalidKey
	}
	b := t.box(key.Mailbox)
	k := memoryKey{key.Sender, key.Response}

	b.mu.Lock()
	defer b.mu.Unlock()
	if e := b.entries[k]; e != nil {
		if !allowed(e.sent, now, period) {
			return false, nil
		}
		e.sent = now
		b.unlink(e)
		b.push(e)
		return true, nil
	}
	// Clone: the caller's strings may be slices of a whole message, which
	// an entry must not keep alive.
	k = memoryKey{strings.Clone(k.sender), strings.Clone(k.response)}
	e := &memoryEntry{key: k, sent: now}
	b.entries[k] = e
	b.push(e)
	for len(b.entries) > t.max {
		old := b.head
		b.unlink(old)
		delete(b.entries, old.key)
	}
	return true, nil
}

// Len returns the number of replies remembered for mailbox.
func (t *MemoryTracker) Len(mailbox string) int {
	t.mu.RLock()
	b := t.boxes[NormalizeAddress(mailbox)]
	t.mu.RUnlock()
	if b == nil {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.entries)
}

// box returns the list of mailbox, creating it if needed.
func (t *MemoryTracker) box(mailbox string) *memoryBox {
	t.mu.RLock()
	b := t.boxes[mailbox]
	t.mu.RUnlock()
	if b != nil {
		return b
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if b = t.boxes[mailbox]; b == nil {
		b = &memoryBox{entries: map[memoryKey]*memoryEntry{}}
		t.boxes[strings.Clone(mailbox)] = b
	}
	return b
}

// push appends e as the newest entry.
func (b *memoryBox) push(e *memoryEntry) {
	e.prev, e.next = b.tail, nil
	if b.tail != nil {
		b.tail.next = e
	} else {
		b.head = e
	}
	b.tail = e
}

// unlink removes e from the list.
func (b *memoryBox) unlink(e *memoryEntry) {
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		b.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		b.tail = e.prev
	}
	e.prev, e.next = nil, nil
}
