package vacation

import (
	"context"
	"strings"
	"sync"
	"time"
)

// DefaultMaxTotal is the default bound on the replies a MemoryTracker
// remembers over all mailboxes together: about 250 MB at the measured
// ~250 bytes per entry (BenchmarkMemoryTrackerMemory).
const DefaultMaxTotal = 1_000_000

// MemoryTrackerOptions bounds a MemoryTracker.
type MemoryTrackerOptions struct {
	// MaxPerMailbox bounds the replies remembered for one mailbox. Below
	// DefaultMaxPerMailbox (1,000), zero included, it is raised to it.
	MaxPerMailbox int
	// MaxTotal bounds the replies remembered over all mailboxes. Zero or
	// less means DefaultMaxTotal; a bound below MaxPerMailbox is raised to
	// it, so that one mailbox can always hold its own bound.
	MaxTotal int
}

// MemoryTracker is the in-memory Tracker: the default for servers. It is
// safe for concurrent use and bounded both per mailbox and in total, so its
// memory stays bounded however many mailboxes and senders there are.
//
// Entries are ordered by the time they were last recorded (an LRU where
// only a granted claim counts as a use; refused claims do not reorder
// anything), per mailbox and over the whole tracker. When a mailbox holds
// more than MaxPerMailbox entries, its own oldest reply is dropped; when the
// tracker holds more than MaxTotal, the globally oldest reply is dropped,
// whatever its mailbox. A mailbox whose last entry is dropped is forgotten
// altogether, so the number of mailboxes is bounded by MaxTotal too.
// Forgetting a reply can only cause one more reply to that sender, never
// one less.
//
// One mutex guards the whole tracker: a claim is a map lookup and a few
// pointer moves, far from being a bottleneck next to delivering a message.
//
// The clock is the now argument of Claim: the host injects it.
type MemoryTracker struct {
	maxBox, maxTotal int
	mu               sync.Mutex
	boxes            map[string]*memoryBox
	all              memoryList // every entry, head: globally oldest reply
	total            int
}

// memoryBox is the tracking list of one mailbox.
type memoryBox struct {
	name    string
	entries map[memoryKey]*memoryEntry
	list    memoryList // head: the mailbox's oldest reply
}

type memoryKey struct{ sender, response string }

type memoryEntry struct {
	key  memoryKey
	sent time.Time
	box  *memoryBox
	// Links in the mailbox's list (0) and in the tracker's list (1).
	prev, next [2]*memoryEntry
}

// memoryList is a doubly linked list of entries through their links of
// index which.
type memoryList struct {
	head, tail *memoryEntry
	which      int
}

// NewMemoryTracker returns an empty MemoryTracker that remembers at most
// maxPerMailbox replies per mailbox (raised to DefaultMaxPerMailbox) and
// DefaultMaxTotal in total. See NewMemoryTrackerWith to choose both.
func NewMemoryTracker(maxPerMailbox int) *MemoryTracker {
	return NewMemoryTrackerWith(MemoryTrackerOptions{MaxPerMailbox: maxPerMailbox})
}

// NewMemoryTrackerWith returns an empty MemoryTracker with the bounds of
// opts.
func NewMemoryTrackerWith(opts MemoryTrackerOptions) *MemoryTracker {
	maxBox := max(opts.MaxPerMailbox, DefaultMaxPerMailbox)
	maxTotal := opts.MaxTotal
	if maxTotal <= 0 {
		maxTotal = DefaultMaxTotal
	}
	return &MemoryTracker{
		maxBox:   maxBox,
		maxTotal: max(maxTotal, maxBox),
		boxes:    map[string]*memoryBox{},
		all:      memoryList{which: 1},
	}
}

// MaxPerMailbox returns the bound on the entries of one mailbox.
func (t *MemoryTracker) MaxPerMailbox() int { return t.maxBox }

// MaxTotal returns the bound on the entries of all mailboxes together.
func (t *MemoryTracker) MaxTotal() int { return t.maxTotal }

// Claim implements Tracker. It fails only for an invalid key or a done ctx.
func (t *MemoryTracker) Claim(ctx context.Context, key Key, now time.Time, period time.Duration) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	key = key.Normalize()
	if !key.valid() {
		return false, ErrInvalidKey
	}
	k := memoryKey{key.Sender, key.Response}

	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.boxes[key.Mailbox]
	if b != nil {
		if e := b.entries[k]; e != nil {
			ok, keep := allowed(e.sent, now, period)
			if !ok {
				e.sent = keep
				return false, nil
			}
			e.sent = now
			b.list.unlink(e)
			b.list.push(e)
			t.all.unlink(e)
			t.all.push(e)
			return true, nil
		}
	} else {
		// Clone: the caller's strings may be slices of a whole message,
		// which the tracker must not keep alive.
		name := strings.Clone(key.Mailbox)
		b = &memoryBox{name: name, entries: map[memoryKey]*memoryEntry{}}
		t.boxes[name] = b
	}
	k = memoryKey{strings.Clone(k.sender), strings.Clone(k.response)}
	e := &memoryEntry{key: k, sent: now, box: b}
	b.entries[k] = e
	b.list.push(e)
	t.all.push(e)
	t.total++
	for len(b.entries) > t.maxBox {
		t.drop(b.list.head)
	}
	for t.total > t.maxTotal {
		t.drop(t.all.head)
	}
	return true, nil
}

// drop forgets e, and its mailbox when e was its last entry.
func (t *MemoryTracker) drop(e *memoryEntry) {
	b := e.box
	b.list.unlink(e)
	t.all.unlink(e)
	delete(b.entries, e.key)
	t.total--
	if len(b.entries) == 0 {
		delete(t.boxes, b.name)
	}
}

// Len returns the number of replies remembered for mailbox.
func (t *MemoryTracker) Len(mailbox string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if b := t.boxes[NormalizeAddress(mailbox)]; b != nil {
		return len(b.entries)
	}
	return 0
}

// Total returns the number of replies remembered for all mailboxes, and
// the number of mailboxes they belong to.
func (t *MemoryTracker) Total() (entries, mailboxes int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.total, len(t.boxes)
}

// push appends e as the newest entry.
func (l *memoryList) push(e *memoryEntry) {
	w := l.which
	e.prev[w], e.next[w] = l.tail, nil
	if l.tail != nil {
		l.tail.next[w] = e
	} else {
		l.head = e
	}
	l.tail = e
}

// unlink removes e from the list.
func (l *memoryList) unlink(e *memoryEntry) {
	w := l.which
	if e.prev[w] != nil {
		e.prev[w].next[w] = e.next[w]
	} else {
		l.head = e.next[w]
	}
	if e.next[w] != nil {
		e.next[w].prev[w] = e.prev[w]
	} else {
		l.tail = e.prev[w]
	}
	e.prev[w], e.next[w] = nil, nil
}
