package dir

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/tamis-mss/tamis/store"
)

// watchBuffer is the capacity of the channel Watch returns; a reader that
// falls further behind receives one Change with an empty Mailbox instead.
const watchBuffer = 64

// Watch reports changes of operator layers (Change with an empty Mailbox)
// and of each mailbox's scripts and layers until ctx ends.
func (s *Store) Watch(ctx context.Context) (<-chan store.Change, error) {
	w, err := fsnotify.NewBufferedWatcher(1024)
	if err != nil {
		return nil, unavailable("watch policy store", err)
	}
	for _, d := range []string{
		filepath.Join(s.root, operatorDir),
		filepath.Join(s.root, operatorDir, string(Before)),
		filepath.Join(s.root, operatorDir, string(After)),
		filepath.Join(s.root, mailboxesDir),
	} {
		if err := w.Add(d); err != nil {
			w.Close()
			return nil, unavailable("watch policy store", err)
		}
	}
	mailboxes, err := os.ReadDir(filepath.Join(s.root, mailboxesDir))
	if err != nil {
		w.Close()
		return nil, unavailable("watch policy store", err)
	}
	for _, e := range mailboxes {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			s.watchMailbox(w, e.Name())
		}
	}
	out := make(chan store.Change, watchBuffer)
	go s.watchLoop(ctx, w, out)
	return out, nil
}

// watchMailbox watches a mailbox directory and its layer directories; those
// that do not exist yet are added when their creation is seen.
func (s *Store) watchMailbox(w *fsnotify.Watcher, key string) {
	mb := s.mailboxDir(key)
	_ = w.Add(mb)
	_ = w.Add(filepath.Join(mb, string(Before)))
	_ = w.Add(filepath.Join(mb, string(After)))
}

func (s *Store) watchLoop(ctx context.Context, w *fsnotify.Watcher, out chan<- store.Change) {
	defer close(out)
	defer w.Close()
	missed := false // a Change was dropped: send an "everything" Change
	retry := time.NewTicker(100 * time.Millisecond)
	defer retry.Stop()
	send := func(c store.Change) {
		if missed {
			select {
			case out <- store.Change{}:
				missed = false
			default:
				return
			}
			if c.Mailbox == "" {
				return
			}
		}
		select {
		case out <- c:
		default:
			missed = true
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-retry.C:
			if missed {
				send(store.Change{})
			}
		case ev, ok := <-w.Events:
			if !ok {
				return
			}
			if c, ok := s.classify(w, ev); ok {
				send(c)
			}
		case _, ok := <-w.Errors:
			if !ok {
				return
			}
			// An overflow or a watch lost: any mailbox may have changed.
			send(store.Change{})
		}
	}
}

// classify maps a file system event to the Change it means, adding watches
// on directories that appear.
func (s *Store) classify(w *fsnotify.Watcher, ev fsnotify.Event) (store.Change, bool) {
	rel, err := filepath.Rel(s.root, ev.Name)
	if err != nil {
		return store.Change{}, false
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	base := parts[len(parts)-1]
	switch {
	case parts[0] == operatorDir:
		if strings.HasPrefix(base, ".") && len(parts) > 2 {
			return store.Change{}, false // an editor's or our own temporary file
		}
		return store.Change{}, true
	case parts[0] == mailboxesDir && len(parts) >= 2:
		key := parts[1]
		if strings.HasPrefix(key, ".") {
			return store.Change{}, false
		}
		switch len(parts) {
		case 2: // the mailbox directory itself
			if ev.Has(fsnotify.Create) {
				s.watchMailbox(w, key)
			}
		case 3: // an entry of the mailbox directory
			switch base {
			case scriptsDir:
			case string(Before), string(After):
				if ev.Has(fsnotify.Create) {
					_ = w.Add(ev.Name)
				}
			default:
				return store.Change{}, false // the lock, a scripts directory being built
			}
		default: // a layer file
			if strings.HasPrefix(base, ".") {
				return store.Change{}, false
			}
		}
		return store.Change{Mailbox: key}, true
	}
	return store.Change{}, false
}
