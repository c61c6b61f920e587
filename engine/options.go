package engine

import (
	"context"
	"time"

	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/engine/vacation"
	"github.com/tamis-mss/tamis/mssante"
)

// Message is what the engine reads of an incoming message. *message.Message
// implements it; the methods must not allocate for the keep path to stay
// allocation-free.
type Message interface {
	Header(name string) []string
	Addresses(name string) []message.Address
	Fields() []message.Field
	BodyText() []string
	Size() int64
	MediaType() (string, map[string]string)
	Problems() []error
}

// Defaults of Options.
const (
	DefaultMaxRedirects = 4
	DefaultPeriod       = 7 * 24 * time.Hour
	DefaultMinPeriod    = 24 * time.Hour
)

// Options configures Compile and the Program it returns.
type Options struct {
	// Trust is the MSSanté trust space. Compile checks literal targets
	// against Trust.List(), and Evaluate checks them again against the list
	// current at that time. nil means the built-in unverified fallback, with
	// an "unverified-trust" warning.
	Trust *mssante.TrustSpace
	// MaxRedirects is the largest number of distinct reroute and copy
	// targets for one message, counted after merging; more is a runtime
	// error (the message is kept). 0 means DefaultMaxRedirects.
	MaxRedirects int
	// Tracker records the absence replies sent, so that a sender gets one
	// per period. It is the Program's only link to reply history, which it
	// does not own: recompiling a policy with the same Tracker keeps the
	// history. Delivery.Tracker overrides it for one call. An evaluation
	// that must claim a reply without any tracker fails safe with
	// ErrNoTracker (nothing is sent); a Program that is only checked, or
	// evaluated with Delivery.DryRun, needs none. vacation.NewMemoryTracker
	// is the in-memory one for tests and tools.
	Tracker vacation.Tracker
	// DefaultPeriod is the period of a reply that names none (0 means
	// DefaultPeriod, 7 days). MinPeriod and MaxPeriod clamp every period;
	// MinPeriod 0 means DefaultMinPeriod (one day, as Pigeonhole), MaxPeriod
	// 0 means no upper bound.
	DefaultPeriod, MinPeriod, MaxPeriod time.Duration
	// Mailbox is the address of the mailbox when the policy names none.
	// When neither does, the envelope recipient of each delivery is used.
	Mailbox string
	// Now is the clock used when a Delivery has no Time; nil means
	// time.Now.
	Now func() time.Time
	// MaxSteps and MaxScanBytes are the budget of one evaluation: the
	// condition nodes evaluated, and the bytes matching reads (each key,
	// glob or regular expression compared with a value counts the value's
	// length). An evaluation over budget ends with a *BudgetError and the
	// fail-safe result. 0 means DefaultMaxSteps and DefaultMaxScanBytes.
	MaxSteps     int
	MaxScanBytes int64
	// MaxRegexInsts and MaxScanKeys limit a policy at compile time: the
	// size of all its regular expressions together (RE2 instructions), and
	// the number of its "contains", "matches" and "regex" keys. More is a
	// "limit" diagnostic. 0 means DefaultMaxRegexInsts and
	// DefaultMaxScanKeys.
	MaxRegexInsts, MaxScanKeys int
	// Trace makes every Evaluate record every statement and every leaf
	// condition tested, in Result.Trace (Delivery.Trace does it for one
	// call). Tracing does not change the evaluation: the statements the
	// "from is" index skipped appear with their "from is" test, false. A
	// traced evaluation allocates.
	Trace bool
	// Explain makes every Evaluate explain its decisions, in
	// Result.Explanations and Action.Because (Delivery.Explain does it for
	// one call). Explaining does not change the evaluation; it allocates.
	Explain bool
}

// DefaultOptions returns the options used for zero fields: the fallback
// trust space, 4 redirects, a 7-day period clamped to at least one day,
// the default budget and limits, and the system clock. It sets no Tracker: reply history belongs to the host.
func DefaultOptions() Options {
	return Options{
		MaxRedirects:  DefaultMaxRedirects,
		DefaultPeriod: DefaultPeriod,
		MinPeriod:     DefaultMinPeriod,
		MaxSteps:      DefaultMaxSteps,
		MaxScanBytes:  DefaultMaxScanBytes,
		MaxRegexInsts: DefaultMaxRegexInsts,
		MaxScanKeys:   DefaultMaxScanKeys,
	}
}

func (o Options) withDefaults() Options {
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
	if o.DefaultPeriod <= 0 {
		o.DefaultPeriod = DefaultPeriod
	}
	if o.MinPeriod <= 0 {
		o.MinPeriod = DefaultMinPeriod
	}
	if o.MaxPeriod < 0 {
		o.MaxPeriod = 0
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxSteps <= 0 {
		o.MaxSteps = DefaultMaxSteps
	}
	if o.MaxScanBytes <= 0 {
		o.MaxScanBytes = DefaultMaxScanBytes
	}
	if o.MaxRegexInsts <= 0 {
		o.MaxRegexInsts = DefaultMaxRegexInsts
	}
	if o.MaxScanKeys <= 0 {
		o.MaxScanKeys = DefaultMaxScanKeys
	}
	return o
}

// Delivery is one message delivered to the mailbox.
type Delivery struct {
	Message Message
	// EnvelopeFrom is the SMTP MAIL FROM, without angle brackets; "" or
	// "<>" is the null sender of bounces.
	EnvelopeFrom string
	// EnvelopeTo is the SMTP RCPT TO of this delivery.
	EnvelopeTo string
	// Addresses are more addresses of the mailbox's holder that the host
	// knows (aliases), added to the policy's mailbox and "also" addresses:
	// a reroute or copy to one of them is refused as a self target, mail
	// to them is addressed to the holder, and no absence reply goes to
	// them.
	Addresses []string
	// Time is the delivery time; the zero Time means Options.Now().
	Time time.Time
	// Tracker, when not nil, records the absence reply of this delivery
	// instead of Options.Tracker.
	Tracker vacation.Tracker
	// DryRun evaluates without consequence, for a preview: the reply is
	// decided and built (Result.Reply.DryRun is true) but no tracker is
	// asked, so no reply slot is used and whether the sender already had a
	// reply within the period is not known.
	DryRun bool
	// Trace records this evaluation in Result.Trace, as Options.Trace does
	// for every evaluation.
	Trace bool
	// Explain explains this evaluation in Result.Explanations and
	// Action.Because, as Options.Explain does for every evaluation.
	// Without it (and without Options.Explain) nothing is recorded and the
	// keep path does not allocate.
	Explain bool
}

// ctxErr is context.Context.Err without the interface conversion at every
// call site.
func ctxErr(ctx context.Context) error {
	if ctx == nil {
		return nil
	}
	return ctx.Err()
}
