package accounts

import (
	"sync"
	"time"
)

// Throttle makes failed logins cost time. Each failure doubles the delay
// the next attempt of the same client address, or of the same login, waits
// before it is answered (from Base up to Max); a success clears the login's
// and the client's count; counts are forgotten after Forget without
// failure. It is safe for concurrent use.
type Throttle struct {
	Base, Max, Forget time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu      sync.Mutex
	clients map[string]*failures
	logins  map[string]*failures
}

type failures struct {
	n    int
	last time.Time
}

// maxTracked bounds the memory of a Throttle under a flood of distinct
// clients or logins: beyond it, entries past Forget are dropped first.
const maxTracked = 100000

// NewThrottle returns a Throttle with a delay from 1 s to 30 s, forgotten
// after 15 minutes.
func NewThrottle() *Throttle {
	return &Throttle{Base: time.Second, Max: 30 * time.Second, Forget: 15 * time.Minute}
}

func (t *Throttle) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

// Delay returns how long an attempt by client for login must wait before
// it is answered: the larger of the two counts' delays.
func (t *Throttle) Delay(client, login string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	return max(t.delay(t.clients[client], now), t.delay(t.logins[login], now))
}

func (t *Throttle) delay(f *failures, now time.Time) time.Duration {
	if f == nil || f.n == 0 || now.Sub(f.last) > t.Forget {
		return 0
	}
	d := t.Base
	for i := 1; i < f.n && d < t.Max; i++ {
		d *= 2
	}
	return min(d, t.Max)
}

// Failed records a failed attempt.
func (t *Throttle) Failed(client, login string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if t.clients == nil {
		t.clients, t.logins = map[string]*failures{}, map[string]*failures{}
	}
	for _, m := range []map[string]*failures{t.clients, t.logins} {
		if len(m) >= maxTracked {
			for k, f := range m {
				if now.Sub(f.last) > t.Forget {
					delete(m, k)
				}
			}
		}
	}
	bump := func(m map[string]*failures, key string) {
		f := m[key]
		if f == nil || now.Sub(f.last) > t.Forget {
			if len(m) >= maxTracked {
				return // still full of recent failures: the other count holds
			}
			f = &failures{}
			m[key] = f
		}
		f.n++
		f.last = now
	}
	bump(t.clients, client)
	if login != "" {
		bump(t.logins, login)
	}
}

// Succeeded clears the counts of a client and login after a good login.
func (t *Throttle) Succeeded(client, login string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.clients, client)
	delete(t.logins, login)
}
