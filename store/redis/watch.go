package redis

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/tamis-mss/tamis/store"
)

// watchBuffer is the capacity of the channel Watch returns; a reader that
// falls further behind receives one Change with an empty Mailbox instead.
const watchBuffer = 64

// Watch reports changes announced on the changes channel until ctx ends,
// and a Change with an empty Mailbox whenever notifications may have been
// missed: a gap in the generations, a reconnection to Redis, or a counter
// that moved (or went back, after Redis lost data) without a message.
func (s *Store) Watch(ctx context.Context) (<-chan store.Change, error) {
	ps := s.client.Subscribe(ctx, s.keys.channel)
	if _, err := ps.Receive(ctx); err != nil { // the subscription's confirmation
		ps.Close()
		return nil, unavailable(ctx, "watch policy store", err)
	}
	gen, err := s.generation(ctx)
	if err != nil {
		ps.Close()
		return nil, unavailable(ctx, "watch policy store", err)
	}
	msgs := ps.ChannelWithSubscriptions(goredis.WithChannelSize(watchBuffer), goredis.WithChannelHealthCheckInterval(time.Second))
	out := make(chan store.Change, watchBuffer)
	w := &watcher{s: s, out: out, last: gen, seen: gen}
	go func() {
		defer close(out)
		defer ps.Close()
		w.loop(ctx, msgs)
	}()
	return out, nil
}

// generation reads the counter; a missing counter is generation 0.
func (s *Store) generation(ctx context.Context) (int64, error) {
	g, err := s.client.Get(ctx, s.keys.generation).Int64()
	if errors.Is(err, goredis.Nil) {
		return 0, nil
	}
	return g, err
}

type watcher struct {
	s   *Store
	out chan<- store.Change
	// last is the generation of the last change reported (or covered by an
	// "everything" Change); seen is the counter read at the previous
	// resync tick.
	last, seen int64
	// missed is set when a Change could not be queued: an "everything"
	// Change is owed.
	missed bool
}

func (w *watcher) loop(ctx context.Context, msgs <-chan any) {
	tick := time.NewTicker(w.s.resync)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case m, ok := <-msgs:
			if !ok {
				return
			}
			switch m := m.(type) {
			case *goredis.Subscription:
				// Subscribed again after a reconnection: anything may
				// have happened meanwhile.
				w.everything(ctx)
			case *goredis.Message:
				w.message(ctx, m.Payload)
			}
		case <-tick.C:
			w.resync(ctx)
		}
	}
}

// message handles "<generation> <mailbox>".
func (w *watcher) message(ctx context.Context, payload string) {
	g, mailbox, ok := strings.Cut(payload, " ")
	gen, err := strconv.ParseInt(g, 10, 64)
	switch {
	case !ok || err != nil:
		w.everything(ctx) // not ours, or garbled: be safe
	case gen <= w.last:
		// Covered by an "everything" Change already sent.
	case gen == w.last+1:
		w.last = gen
		w.send(store.Change{Mailbox: mailbox})
	default:
		w.last = gen
		w.send(store.Change{}) // messages between were lost
	}
}

// resync compares the counter with the last generation reported. A message
// may be in flight when the counter is read, so the counter is only held
// against last one tick later: a change is reported missed when its
// message has not come within a whole interval.
func (w *watcher) resync(ctx context.Context) {
	if w.missed {
		w.send(store.Change{})
	}
	rctx, cancel := context.WithTimeout(ctx, w.s.resync)
	g, err := w.s.generation(rctx)
	cancel()
	if err != nil {
		return // Redis unreachable: the reconnection will be reported
	}
	switch {
	case g < w.last:
		// The counter went back: Redis lost data (restarted without its
		// append-only file, or flushed).
		w.last, w.seen = g, g
		w.send(store.Change{})
	case w.seen > w.last:
		w.last, w.seen = g, g
		w.send(store.Change{})
	default:
		w.seen = g
	}
}

// everything reports that any mailbox may have changed and takes the
// counter as the new starting point.
func (w *watcher) everything(ctx context.Context) {
	rctx, cancel := context.WithTimeout(ctx, w.s.resync)
	if g, err := w.s.generation(rctx); err == nil {
		w.last, w.seen = g, g
	}
	cancel()
	w.send(store.Change{})
}

// send queues c without blocking; when the reader is behind, one Change
// with an empty Mailbox is sent as soon as there is room.
func (w *watcher) send(c store.Change) {
	if w.missed {
		select {
		case w.out <- store.Change{}:
			w.missed = false
		default:
			return
		}
		if c.Mailbox == "" {
			return
		}
	}
	select {
	case w.out <- c:
	default:
		w.missed = true
	}
}
