package mssante

import (
	"errors"
	"sync/atomic"
)

// ErrDowngrade is returned when a built-in fallback would replace a
// published list.
var ErrDowngrade = errors.New("the built-in fallback cannot replace a published trust list")

// TrustSpace holds the current trust list of a running server. Readers call
// List and keep the snapshot for the whole of one evaluation; a refresh
// calls Replace. Both are safe to call from any goroutine at any time.
type TrustSpace struct{ current atomic.Pointer[List] }

// NewTrustSpace returns a TrustSpace holding l, or FallbackList() when l is
// nil or empty.
func NewTrustSpace(l *List) *TrustSpace {
	t := &TrustSpace{}
	if l == nil || l.Len() == 0 {
		l = FallbackList()
	}
	t.current.Store(l)
	return t
}

// List returns the current snapshot. It never returns nil: a zero
// TrustSpace holds the fallback.
func (t *TrustSpace) List() *List {
	if l := t.current.Load(); l != nil {
		return l
	}
	return FallbackList()
}

// Replace makes l the current list atomically. It refuses, and keeps the
// current list, when l is nil or empty, or when l is the unverified
// fallback and the current list is a published one.
func (t *TrustSpace) Replace(l *List) error {
	switch {
	case l == nil:
		return errors.New("replace trust list: nil list")
	case l.Len() == 0:
		return ErrEmptyList
	}
	for {
		old := t.current.Load()
		if !l.Verified() && old.Verified() {
			return ErrDowngrade
		}
		if t.current.CompareAndSwap(old, l) {
			return nil
		}
	}
}

// Load reads the list file at path, checks it against checksumHex when
// that is not empty (see LoadList), and makes it current. On any error the
// current list stays.
func (t *TrustSpace) Load(path, checksumHex string) error {
	l, err := LoadList(path, checksumHex)
	if err != nil {
		return err
	}
	return t.Replace(l)
}
