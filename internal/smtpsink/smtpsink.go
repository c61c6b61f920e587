// Package smtpsink is an in-process SMTP server for tests: it accepts
// everything (or refuses every recipient with a chosen error) and records
// what it received. Tests of the real set-up use Postfix; this sink is for
// unit tests only.
package smtpsink

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one transaction the sink accepted.
type Message struct {
	From string
	To   []string
	Data string
}

// Sink is a running SMTP server.
type Sink struct {
	Addr string

	mu   sync.Mutex
	got  []Message
	fail *smtp.SMTPError
}

// Start runs a sink on 127.0.0.1 until the test ends.
func Start(tb testing.TB) *Sink {
	tb.Helper()
	s := &Sink{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	srv.Domain = "sink.test"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s.Addr = ln.Addr().String()
	go srv.Serve(ln)
	tb.Cleanup(func() { srv.Close() })
	return s
}

// Fail makes every RCPT answer err (nil: accept again).
func (s *Sink) Fail(err *smtp.SMTPError) {
	s.mu.Lock()
	s.fail = err
	s.mu.Unlock()
}

// Messages returns what the sink received so far.
func (s *Sink) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.got...)
}

// Wait waits until the sink holds n messages or d passed, and returns them.
func (s *Sink) Wait(n int, d time.Duration) []Message {
	deadline := time.Now().Add(d)
	for {
		got := s.Messages()
		if len(got) >= n || time.Now().After(deadline) {
			return got
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type session struct {
	s   *Sink
	cur Message
}

func (ss *session) Reset()        { ss.cur = Message{} }
func (ss *session) Logout() error { return nil }
func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.cur.From = from
	return nil
}
func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.fail != nil {
		return ss.s.fail
	}
	ss.cur.To = append(ss.cur.To, to)
	return nil
}
func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.cur.Data = string(b)
	ss.s.mu.Lock()
	ss.s.got = append(ss.s.got, ss.cur)
	ss.s.mu.Unlock()
	return nil
}
