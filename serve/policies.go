package serve

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/parser"
	"github.com/tamis-mss/tamis/rules"
	"github.com/tamis-mss/tamis/store"
)

// Policies compiles each mailbox's layers from the store on first use and
// keeps the Program until the store reports a change for that mailbox.
// A changed policy that does not compile keeps the last good Program (its
// diagnostics are logged); a mailbox whose policy never compiled gets the
// implicit keep, as Pigeonhole keeps mail when a script is broken.
type Policies struct {
	store   store.Store
	opts    engine.Options
	log     *slog.Logger
	metrics *Metrics

	mu      sync.Mutex
	entries map[string]*policyEntry
}

type policyEntry struct {
	prog    *engine.Program // nil: no policy, or none ever compiled
	version string
	stale   bool
}

// NewPolicies returns an empty cache over st; opts are the compile options
// of every mailbox (Mailbox is set per mailbox).
func NewPolicies(st store.Store, opts engine.Options, log *slog.Logger, m *Metrics) *Policies {
	return &Policies{store: st, opts: opts, log: log, metrics: m, entries: map[string]*policyEntry{}}
}

// Program returns mailbox's compiled Program, nil when it has no policy (or
// none that ever compiled): the implicit keep. An error means the store
// could not be read: the delivery must be retried later.
func (p *Policies) Program(ctx context.Context, mailbox string) (*engine.Program, error) {
	p.mu.Lock()
	e := p.entries[mailbox]
	if e != nil && !e.stale {
		p.mu.Unlock()
		return e.prog, nil
	}
	p.mu.Unlock()

	src, err := p.store.Sources(ctx, mailbox)
	if err != nil {
		return nil, fmt.Errorf("read the policy of %s: %w", mailbox, err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if cur := p.entries[mailbox]; cur != nil && cur.version == src.Version && src.Version != "" {
		cur.stale = false
		return cur.prog, nil
	}
	prog, ok := p.compile(mailbox, src)
	if !ok && e != nil && e.prog != nil {
		p.log.Warn("policy does not compile; the last good one stays in use", "mailbox", mailbox, "version", src.Version)
		e.stale, e.version = false, src.Version
		return e.prog, nil
	}
	p.entries[mailbox] = &policyEntry{prog: prog, version: src.Version}
	return prog, nil
}

// compile parses and compiles src; ok is false when it has errors (the
// diagnostics are logged).
func (p *Policies) compile(mailbox string, src store.Sources) (*engine.Program, bool) {
	start := time.Now()
	var layers engine.Layers
	var diags rules.Diagnostics
	parse := func(l store.Layer) *rules.Policy {
		pol, d := parser.Parse(l.Name, l.Text, parser.DefaultOptions())
		diags = append(diags, d...)
		return pol
	}
	for _, l := range src.Before {
		layers.Before = append(layers.Before, parse(l))
	}
	if src.User != nil {
		layers.User = parse(*src.User)
	}
	for _, l := range src.After {
		layers.After = append(layers.After, parse(l))
	}
	if len(layers.Before) == 0 && layers.User == nil && len(layers.After) == 0 {
		return nil, true
	}
	var prog *engine.Program
	if !diags.HasErrors() {
		opts := p.opts
		opts.Mailbox = mailbox
		var cd rules.Diagnostics
		prog, cd = engine.CompileLayers(layers, opts)
		diags = append(diags, cd...)
	}
	p.metrics.compiles(prog != nil, time.Since(start))
	for _, d := range diags {
		if d.Code == rules.CodeUnverifiedTrust {
			continue // said once at start
		}
		level := slog.LevelWarn
		if d.Severity == rules.Error {
			level = slog.LevelError
		}
		p.log.Log(context.Background(), level, "policy diagnostic", "mailbox", mailbox, "code", string(d.Code), "diagnostic", d.Error())
	}
	if prog == nil {
		return nil, false
	}
	p.log.Info("policy compiled", "mailbox", mailbox, "version", src.Version, "layers", len(src.Before)+len(src.After)+btoi(src.User != nil))
	return prog, true
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Invalidate marks mailbox's Program for a re-read of the store at its next
// delivery; "" marks every mailbox's.
func (p *Policies) Invalidate(mailbox string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if mailbox == "" {
		for _, e := range p.entries {
			e.stale = true
		}
		return
	}
	if e := p.entries[mailbox]; e != nil {
		e.stale = true
	}
}

// Watch follows the store's changes until ctx ends, and marks every
// Program stale each refresh interval (0: never) in case a notification was
// lost.
func (p *Policies) Watch(ctx context.Context, refresh time.Duration) error {
	changes, err := p.store.Watch(ctx)
	if err != nil {
		return fmt.Errorf("watch the policy store: %w", err)
	}
	var tick <-chan time.Time
	if refresh > 0 {
		t := time.NewTicker(refresh)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case c, ok := <-changes:
			if !ok {
				return nil
			}
			p.log.Debug("policy store change", "mailbox", c.Mailbox)
			p.Invalidate(c.Mailbox)
		case <-tick:
			p.Invalidate("")
		case <-ctx.Done():
			return nil
		}
	}
}
