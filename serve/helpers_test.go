package serve

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/tamis-mss/tamis/internal/smtpsink"
	"github.com/tamis-mss/tamis/internal/testenv"
	"github.com/tamis-mss/tamis/store/dir"
)

// env is a running tamis serve with its directories, a sink as its relay
// and its log.
type env struct {
	srv     *Server
	sink    *smtpsink.Sink
	dir     string
	store   *dir.Store
	logs    *lockedBuffer
	cancel  context.CancelFunc
	stopped chan error
}

// testConfig returns a configuration for a server under dir.
func testConfig(t *testing.T, dir, relay string) Config {
	cfg := DefaultConfig()
	cfg.LMTP.Listen = "127.0.0.1:0"
	cfg.LMTP.RecipientDelimiter = "+"
	cfg.LMTP.ShutdownTimeout = 5 * time.Second
	cfg.Maildir.Path = filepath.Join(dir, "mail", "%d", "%n", "Maildir")
	cfg.Relay.Address = relay
	cfg.Relay.Timeout = 3 * time.Second
	cfg.Trust.List = testenv.TrustList(t)
	cfg.Trust.Checksum = testenv.TrustListSHA256
	cfg.Store.Path = filepath.Join(dir, "policies")
	cfg.Replies.Path = filepath.Join(dir, "replies.db")
	cfg.Metrics.Listen = "127.0.0.1:0"
	cfg.Log.Level = "debug"
	return cfg
}

// start runs a server with the layers given (mailbox → .rules text, put as
// a "before" layer of that mailbox).
func start(t *testing.T, layers map[string]string, edit ...func(*Config)) *env {
	t.Helper()
	d := t.TempDir()
	sink := smtpsink.Start(t)
	cfg := testConfig(t, d, sink.Addr)
	for _, f := range edit {
		f(&cfg)
	}
	if err := os.MkdirAll(cfg.Store.Path, 0o700); err != nil {
		t.Fatal(err)
	}
	st, err := dir.Open(cfg.Store.Path)
	if err != nil {
		t.Fatal(err)
	}
	for mb, text := range layers {
		if err := st.PutLayer(context.Background(), mb, dir.Before, "10-test.rules", []byte(text)); err != nil {
			t.Fatal(err)
		}
	}
	logs := &lockedBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, err := New(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &env{srv: srv, sink: sink, dir: d, store: st, logs: logs, cancel: cancel, stopped: make(chan error, 1)}
	go func() { e.stopped <- srv.Serve(ctx) }()
	t.Cleanup(func() {
		e.stop(t)
		srv.Close()
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return e
}

func (e *env) stop(t *testing.T) {
	if e.cancel == nil {
		return
	}
	e.cancel()
	e.cancel = nil
	select {
	case err := <-e.stopped:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("Serve did not return 10 s after its context ended")
	}
}

// lockedBuffer is a log destination safe for concurrent writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// httpGet returns the body of a GET.
func httpGet(url string) (string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// send delivers msg over LMTP to rcpts and returns each recipient's
// answer: nil for 250, else the *smtp.SMTPError.
func (e *env) send(t *testing.T, from string, rcpts []string, msg string) map[string]*smtp.SMTPError {
	t.Helper()
	conn, err := net.Dial("tcp", e.srv.LMTPAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	c := smtp.NewClientLMTP(conn)
	defer c.Close()
	if err := c.Hello("test.local"); err != nil {
		t.Fatal(err)
	}
	if err := c.Mail(from, nil); err != nil {
		t.Fatal(err)
	}
	answers := map[string]*smtp.SMTPError{}
	var accepted []string
	for _, r := range rcpts {
		if err := c.Rcpt(r, nil); err != nil {
			var se *smtp.SMTPError
			if !errors.As(err, &se) {
				t.Fatal(err)
			}
			answers[r] = se
			continue
		}
		accepted = append(accepted, r)
	}
	if len(accepted) == 0 {
		return answers
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(w, msg); err != nil {
		t.Fatal(err)
	}
	_, err = w.CloseWithLMTPResponse()
	var le smtp.LMTPDataError
	if err != nil && !errors.As(err, &le) {
		t.Fatal(err)
	}
	for _, r := range accepted {
		answers[r] = le[r]
	}
	c.Quit()
	return answers
}

// maildirFiles returns the files of a Maildir sub-directory ("new",
// ".Labo/new"…) of mailbox local@domain.
func (e *env) maildirFiles(t *testing.T, local, domain, sub string) []string {
	t.Helper()
	p := filepath.Join(e.dir, "mail", domain, local, "Maildir", sub)
	entries, err := os.ReadDir(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, en := range entries {
		out = append(out, filepath.Join(p, en.Name()))
	}
	return out
}

// metric returns the text exposition line of a metric (name with labels),
// "" when absent.
func (e *env) metric(t *testing.T, prefix string) string {
	t.Helper()
	resp, err := httpGet("http://" + e.srv.MetricsAddr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(resp, "\n") {
		if strings.HasPrefix(line, prefix+" ") {
			return line
		}
	}
	return ""
}
