package relay

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/tamis-mss/tamis/mssante"
)

// Options configures a Relay.
type Options struct {
	// Address is the relay's "host:port".
	Address string
	// Hostname is the name sent in EHLO; "" means "localhost".
	Hostname string
	// Timeout bounds one hand-off (connection, commands and data); 0
	// means one minute.
	Timeout time.Duration
	// Trust is the trust space targets are authorised against again; nil
	// means the built-in unverified fallback.
	Trust *mssante.TrustSpace
}

// Relay sends messages to one SMTP relay. It is safe for concurrent use;
// each hand-off uses its own connection.
type Relay struct {
	opts Options
}

// New returns a Relay.
func New(opts Options) *Relay {
	if opts.Hostname == "" {
		opts.Hostname = "localhost"
	}
	if opts.Timeout <= 0 {
		opts.Timeout = time.Minute
	}
	if opts.Trust == nil {
		opts.Trust = mssante.NewTrustSpace(nil)
	}
	return &Relay{opts: opts}
}

// RefusedError is a hand-off the trust check refused: nothing was sent.
type RefusedError struct {
	Target string
	// Refusal is the trust list's reason, when it gave one.
	Refusal *mssante.Refusal
	Reason  string
}

// Error describes the refusal.
func (e *RefusedError) Error() string {
	return fmt.Sprintf("relay to %s refused at hand-off: %s", e.Target, e.Reason)
}

// Code is the refusal's stable code ("outside-trust-space"…), for logs and
// metrics.
func (e *RefusedError) Code() string {
	if e.Refusal != nil && e.Refusal.Code != "" {
		return e.Refusal.Code
	}
	return "untrusted-recipient"
}

// IsTemporary reports whether err is a failure that a later attempt may
// not meet: a network error, a timeout, a 4xx answer.
func IsTemporary(err error) bool {
	var re *RefusedError
	if err == nil || errors.As(err, &re) {
		return false
	}
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se.Code >= 400 && se.Code < 500
	}
	return true // connection, timeout, protocol trouble: try again later
}

// Forward sends msg to target (a copy or a reroute) with the envelope
// sender from ("" for the null sender). self are the mailbox holder's
// addresses, which the trust check refuses as targets.
func (r *Relay) Forward(ctx context.Context, from string, target mssante.Target, self []string, msg []byte) error {
	if target.IsZero() {
		return &RefusedError{Target: "", Reason: "no target"}
	}
	t, err := r.opts.Trust.List().Authorize(target.String(), self...)
	if err != nil {
		re := &RefusedError{Target: target.String(), Reason: err.Error()}
		errors.As(err, &re.Refusal)
		return re
	}
	return r.send(ctx, from, t.String(), msg)
}

// Reply sends an absence reply: msg to to with MAIL FROM:<>. to must be in
// the current trust space.
func (r *Relay) Reply(ctx context.Context, to string, msg []byte) error {
	_, domain, ok := strings.Cut(strings.Trim(strings.TrimSpace(to), "<>"), "@")
	if !ok || !r.opts.Trust.List().Contains(domain) {
		return &RefusedError{Target: to, Reason: "the reply's recipient is outside the MSSanté trust space"}
	}
	return r.send(ctx, "", to, msg)
}

// send runs one SMTP transaction.
func (r *Relay) send(ctx context.Context, from, to string, msg []byte) (err error) {
	ctx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", r.opts.Address)
	if err != nil {
		return fmt.Errorf("relay %s: %w", r.opts.Address, err)
	}
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	c := smtp.NewClient(conn)
	defer c.Close()
	wrap := func(step string, err error) error {
		return fmt.Errorf("relay %s: %s: %w", r.opts.Address, step, err)
	}
	if err := c.Hello(r.opts.Hostname); err != nil {
		return wrap("EHLO", err)
	}
	if err := c.Mail(from, nil); err != nil {
		return wrap("MAIL FROM", err)
	}
	if err := c.Rcpt(to, nil); err != nil {
		return wrap("RCPT TO", err)
	}
	w, err := c.Data()
	if err != nil {
		return wrap("DATA", err)
	}
	if _, err := w.Write(msg); err != nil {
		w.Close()
		return wrap("DATA", err)
	}
	if err := w.Close(); err != nil {
		return wrap("end of DATA", err)
	}
	_ = c.Quit() // the message is accepted; a lost QUIT answer changes nothing
	return nil
}
