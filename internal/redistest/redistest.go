// Package redistest starts a private redis-server for a test: its own port
// on 127.0.0.1, its own directory in t.TempDir(), stopped by t.Cleanup.
// Tests never use the system's Redis service.
//
// When redis-server is not installed the test is skipped with an install
// hint, or fails under CI (internal/testenv).
package redistest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/tamis-mss/tamis/internal/testenv"
)

// Install is the hint given when redis-server is missing.
const Install = "apt-get install redis-server"

// Options configure a Server.
type Options struct {
	// AppendFsync is the appendfsync setting ("always", "everysec" or
	// "no"); "" turns the append-only file off (and with it durability
	// across a restart).
	AppendFsync string
}

// Server is a running private redis-server.
type Server struct {
	tb   testing.TB
	bin  string
	dir  string
	opts Options

	mu   sync.Mutex
	port int
	cmd  *exec.Cmd
	done chan struct{}
	log  *syncBuffer
}

// Start starts a redis-server for tb. The append-only file is on with
// appendfsync everysec unless opts say otherwise.
func Start(tb testing.TB, opts ...Options) *Server {
	tb.Helper()
	bin := testenv.Command(tb, "redis-server", Install)
	o := Options{AppendFsync: "everysec"}
	if len(opts) > 0 {
		o = opts[0]
	}
	s := &Server{tb: tb, bin: bin, dir: tb.TempDir(), opts: o}
	var err error
	// Redis cannot listen on port 0: pick a free port, then start; another
	// process may take it in between, so retry with a new one.
	for range 5 {
		var port int
		if port, err = freePort(); err != nil {
			continue
		}
		if err = s.start(port); err == nil {
			break
		}
	}
	if err != nil {
		tb.Fatalf("start redis-server: %v", err)
	}
	tb.Cleanup(s.Kill)
	return s
}

// Addr returns the server's address, host:port.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port))
}

// Dir returns the server's working directory (its append-only file).
func (s *Server) Dir() string { return s.dir }

// Client returns a client of the server, closed by the test's cleanup.
func (s *Server) Client() *goredis.Client {
	c := goredis.NewClient(&goredis.Options{Addr: s.Addr()})
	s.tb.Cleanup(func() { c.Close() })
	return c
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// start runs redis-server on port and waits until it answers PING.
func (s *Server) start(port int) error {
	args := []string{
		"--port", strconv.Itoa(port),
		"--bind", "127.0.0.1",
		"--dir", s.dir,
		"--save", "",
		"--daemonize", "no",
		"--logfile", "",
		"--unixsocket", "",
		"--protected-mode", "yes",
	}
	if s.opts.AppendFsync != "" {
		args = append(args, "--appendonly", "yes", "--appendfsync", s.opts.AppendFsync)
	} else {
		args = append(args, "--appendonly", "no")
	}
	cmd := exec.Command(s.bin, args...)
	cmd.Dir = s.dir
	log := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	c := goredis.NewClient(&goredis.Options{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case <-done:
			return fmt.Errorf("redis-server exited: %s", lastLines(log.String()))
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-done
			return fmt.Errorf("redis-server did not answer PING within 10s: %v; log: %s", err, lastLines(log.String()))
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.mu.Lock()
	s.port, s.cmd, s.done, s.log = port, cmd, done, log
	s.mu.Unlock()
	return nil
}

func lastLines(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return strings.Join(lines, "\n")
}

// Kill stops the server with SIGKILL, as a crash would (what was not yet
// written to the append-only file is lost). It does nothing when the
// server is not running.
func (s *Server) Kill() {
	s.stop(syscall.SIGKILL)
}

// Stop stops the server with SIGTERM: a clean shutdown.
func (s *Server) Stop() {
	s.stop(syscall.SIGTERM)
}

func (s *Server) stop(sig syscall.Signal) {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(sig)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// Restart starts the stopped or killed server again, on the same port and
// directory, so that clients reconnect to the same address and find what
// the append-only file kept.
func (s *Server) Restart() {
	s.tb.Helper()
	s.mu.Lock()
	running, port := s.cmd != nil, s.port
	s.mu.Unlock()
	if running {
		s.tb.Fatal("redistest: Restart of a running server")
	}
	var err error
	// The port was ours a moment ago; retry briefly if the kernel has not
	// released it yet.
	for range 50 {
		if err = s.start(port); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.tb.Fatalf("restart redis-server on port %d: %v", port, err)
}

// Log returns what the server printed since it last started.
func (s *Server) Log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.log == nil {
		return ""
	}
	return s.log.String()
}

// syncBuffer is a buffer the server's output goroutine writes while a test
// reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
