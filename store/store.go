package store

import (
	"context"
	"errors"
)

// Errors a Store returns, wrapped with what was being done. Callers test them
// with errors.Is: a ManageSieve server maps them to response codes
// (NONEXISTENT, ALREADYEXISTS, ACTIVE, TRYLATER), a delivery agent maps
// ErrUnavailable to a temporary failure (4xx) so that the MTA retries.
var (
	// ErrNoScript: the mailbox has no script of that name.
	ErrNoScript = errors.New("no such script")
	// ErrExists: a script of that name already exists (rename target).
	ErrExists = errors.New("a script of that name already exists")
	// ErrActive: the script is active and cannot be deleted.
	ErrActive = errors.New("the script is active")
	// ErrUnavailable: the backend cannot answer now (disk, network); the
	// operation may succeed later.
	ErrUnavailable = errors.New("policy store unavailable")
)

// Store is a policy store. Implementations are safe for concurrent use; every
// write is atomic (a reader sees the old state or the new one, never a half
// written script) and durable when it returns nil. Mailboxes are addresses,
// compared case-insensitively; implementations store them lower-cased.
type Store interface {
	// Scripts lists the user's scripts of mailbox, sorted by name; a mailbox
	// the store does not know has none.
	Scripts(ctx context.Context, mailbox string) ([]ScriptInfo, error)
	// Script returns one script, or ErrNoScript.
	Script(ctx context.Context, mailbox string, name ScriptName) (Script, error)
	// PutScript creates or replaces a script (last write wins). Replacing
	// the active script changes the mailbox's user layer at once.
	PutScript(ctx context.Context, mailbox string, s Script) error
	// DeleteScript removes a script: ErrNoScript if there is none, ErrActive
	// if it is the active one.
	DeleteScript(ctx context.Context, mailbox string, name ScriptName) error
	// RenameScript renames a script, keeping it active if it was: ErrNoScript
	// if from does not exist, ErrExists if to does.
	RenameScript(ctx context.Context, mailbox string, from, to ScriptName) error
	// SetActive makes name the active script of mailbox (ErrNoScript if there
	// is none); the zero ScriptName deactivates every script.
	SetActive(ctx context.Context, mailbox string, name ScriptName) error

	// Sources returns what the delivery agent compiles for mailbox: the
	// operator layers and the active script's policy.
	Sources(ctx context.Context, mailbox string) (Sources, error)
	// Mailboxes lists the mailboxes that have scripts or operator layers of
	// their own, so that a reader can compile them all at start.
	Mailboxes(ctx context.Context) ([]string, error)
	// Watch reports changes until ctx ends, when the channel is closed. A
	// reader that may have missed changes (a full channel, a reconnection)
	// receives a Change with an empty Mailbox: everything may have changed.
	Watch(ctx context.Context) (<-chan Change, error)
}

// ScriptInfo describes one script in a listing.
type ScriptInfo struct {
	Name ScriptName
	// Size is the length of the Sieve text in bytes (what HAVESPACE and
	// quotas count).
	Size int64
	// Active reports whether this is the mailbox's active script.
	Active bool
}

// Script is a user's script.
type Script struct {
	Name ScriptName
	// Sieve is the script as the client uploaded it, byte for byte: what
	// GETSCRIPT returns.
	Sieve []byte
	// Policy is the tamis policy imported from Sieve, as .rules text: what
	// the delivery agent compiles when the script is active.
	Policy []byte
	// Author is the login that wrote this version, for the audit trail.
	Author string
}

// Layer is one policy source: a .rules text and the name diagnostics give
// it.
type Layer struct {
	// Name is the source's name in diagnostics, e.g.
	// "operator/before/10-securite.rules" or "user/vacances.sieve".
	Name string
	// Text is the .rules text.
	Text []byte
}

// Sources is what the delivery agent compiles for one mailbox, in order:
// the operator layers that run before the user's policy, the user's policy,
// and the operator layers that run after it.
type Sources struct {
	// Mailbox is the mailbox address, lower-cased.
	Mailbox string
	Before  []Layer
	// User is the active script's policy; nil when no script is active.
	User  *Layer
	After []Layer
	// Version changes whenever any of the above changes, so that a reader
	// can keep a compiled program until it does.
	Version string
}

// Change tells that the sources of Mailbox may have changed; an empty
// Mailbox means that every mailbox's may have (operator layers changed, or
// the watcher may have missed notifications).
type Change struct {
	Mailbox string
}
