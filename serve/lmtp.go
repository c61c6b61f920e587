package serve

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/engine/message"
)

// Backend is the go-smtp backend of the LMTP server: one session per
// connection, one Agent.Deliver per recipient.
type Backend struct {
	Agent *Agent
	// Delimiter is the recipient delimiter, 0 for none.
	Delimiter byte
	// MaxMessageBytes bounds the message read (go-smtp answers 552 beyond).
	MaxMessageBytes int64
	// DeliveryTimeout bounds the work for one message.
	DeliveryTimeout time.Duration
	// ctx ends when the server stops accepting new work.
	ctx context.Context
}

// NewSession implements smtp.Backend.
func (b *Backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	b.Agent.Metrics.sessions.Inc()
	return &session{b: b, log: b.Agent.Log.With("client", c.Conn().RemoteAddr().String())}, nil
}

type session struct {
	b     *Backend
	log   *slog.Logger
	from  string
	rcpts []Recipient
}

var _ smtp.LMTPSession = (*session)(nil)

func (s *session) Reset() { s.from, s.rcpts = "", nil }

func (s *session) Logout() error {
	s.b.Agent.Metrics.sessions.Dec()
	return nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from, s.rcpts = from, nil
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	r, err := ParseRecipient(to, s.b.Delimiter)
	if err != nil {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 3},
			Message: "bad recipient address / adresse de destinataire invalide: " + replyText(err.Error())}
	}
	s.rcpts = append(s.rcpts, r)
	return nil
}

// Data is SMTP's DATA; an LMTP server calls LMTPData instead.
func (s *session) Data(r io.Reader) error {
	var first error
	_ = s.LMTPData(r, statusFunc(func(_ string, err error) {
		if first == nil {
			first = err
		}
	}))
	return first
}

type statusFunc func(string, error)

func (f statusFunc) SetStatus(rcpt string, err error) { f(rcpt, err) }

// LMTPData reads the message, then delivers it to each recipient in turn
// and answers each one.
func (s *session) LMTPData(r io.Reader, status smtp.StatusCollector) error {
	start := time.Now()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(r); err != nil {
		// Too large (go-smtp's limit), or the client went away mid-DATA:
		// nothing was delivered.
		var se *smtp.SMTPError
		if errors.As(err, &se) {
			return se
		}
		s.log.Warn("message not received whole: nothing delivered", "err", err)
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "message not received whole / message incomplet"}
	}
	raw := buf.Bytes()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(s.b.ctx), s.b.DeliveryTimeout)
	defer cancel()
	// A message that cannot be read at all is still delivered: Evaluate
	// keeps a delivery without a message.
	var msg engine.Message
	if m, err := message.Parse(raw, message.DefaultOptions()); err != nil {
		s.log.Warn("message unreadable: kept without its policy", "err", err)
	} else {
		msg = m
	}
	for _, rcpt := range s.rcpts {
		status.SetStatus(rcpt.Given, s.b.Agent.Deliver(ctx, msg, raw, s.from, rcpt))
	}
	s.b.Agent.Metrics.delivery.Observe(time.Since(start).Seconds())
	return nil
}
