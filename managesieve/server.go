package managesieve

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/tamis-mss/tamis/accounts"
	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/mssante"
	"github.com/tamis-mss/tamis/store"
)

// Options are what a Server needs besides its Config.
type Options struct {
	// Store holds the scripts; required.
	Store store.Store
	// Authenticator checks logins; required.
	Authenticator accounts.Authenticator
	// Trust is the MSSanté trust space uploads are checked against; nil
	// means the built-in unverified fallback.
	Trust *mssante.TrustSpace
	// Engine are the compile options uploads are checked with (redirect
	// limit, reply periods); Trust and Mailbox are set by the server.
	Engine engine.Options
	// TLS is offered by STARTTLS and used by ListenAndServe's implicit TLS
	// port; nil disables both.
	TLS *tls.Config
	// Throttle delays failed logins; nil means accounts.NewThrottle().
	Throttle *accounts.Throttle
	// Logger receives the audit log (one line per upload, activation,
	// deletion, rename and login) and errors; nil discards them.
	Logger *slog.Logger
}

// Server is a ManageSieve server (RFC 5804) over a policy store.
type Server struct {
	cfg    Config
	opts   Options
	log    *slog.Logger
	slots  chan struct{}
	mu     sync.Mutex
	conns  map[*session]struct{}
	closed bool
}

// NewServer returns a server; Serve runs it on a listener.
func NewServer(cfg Config, opts Options) (*Server, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if opts.Store == nil || opts.Authenticator == nil {
		return nil, errors.New("managesieve: a Store and an Authenticator are required")
	}
	if opts.Trust == nil {
		opts.Trust = mssante.NewTrustSpace(nil)
	}
	if opts.Throttle == nil {
		opts.Throttle = accounts.NewThrottle()
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Server{cfg: cfg, opts: opts, log: log.With("door", "managesieve"),
		slots: make(chan struct{}, cfg.MaxConnections), conns: map[*session]struct{}{}}, nil
}

// Serve accepts connections on ln until ctx ends, then stops accepting,
// lets the commands in progress finish (up to Config.ShutdownTimeout), says
// BYE to every client and returns nil once every connection is closed. A
// listener made with tls.NewListener serves implicit TLS. It returns the
// listener's error if accepting fails otherwise.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	var wg sync.WaitGroup
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	var err error
	for {
		conn, aerr := ln.Accept()
		if aerr != nil {
			if ctx.Err() == nil {
				var ne net.Error
				if errors.As(aerr, &ne) && ne.Timeout() {
					time.Sleep(10 * time.Millisecond)
					continue
				}
				err = fmt.Errorf("managesieve: accept: %w", aerr)
			}
			break
		}
		wg.Go(func() { s.serveConn(ctx, conn) })
	}
	ln.Close()
	s.shutdown(ctx.Err() != nil)
	wg.Wait()
	return err
}

// ListenAndServe serves Config.Listen and Config.ListenTLS (implicit TLS)
// until ctx ends.
func (s *Server) ListenAndServe(ctx context.Context) error {
	if s.cfg.Listen == "" && s.cfg.ListenTLS == "" {
		return errors.New("managesieve: neither listen nor listen_tls is set")
	}
	var lns []net.Listener
	closeAll := func() {
		for _, ln := range lns {
			ln.Close()
		}
	}
	if s.cfg.Listen != "" {
		ln, err := net.Listen("tcp", s.cfg.Listen)
		if err != nil {
			return fmt.Errorf("managesieve: %w", err)
		}
		lns = append(lns, ln)
	}
	if s.cfg.ListenTLS != "" {
		if s.opts.TLS == nil {
			closeAll()
			return errors.New("managesieve: listen_tls needs cert_file and key_file")
		}
		ln, err := net.Listen("tcp", s.cfg.ListenTLS)
		if err != nil {
			closeAll()
			return fmt.Errorf("managesieve: %w", err)
		}
		lns = append(lns, tls.NewListener(ln, s.opts.TLS))
	}
	errs := make(chan error, len(lns))
	for _, ln := range lns {
		go func() { errs <- s.Serve(ctx, ln) }()
	}
	var err error
	for range lns {
		err = errors.Join(err, <-errs)
	}
	return err
}

// shutdown closes every connection: at once for idle ones, after the
// command in progress (up to ShutdownTimeout) for busy ones.
func (s *Server) shutdown(graceful bool) {
	s.mu.Lock()
	s.closed = true
	conns := make([]*session, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.stop(graceful)
	}
	if len(conns) == 0 {
		return
	}
	deadline := time.Now().Add(s.cfg.ShutdownTimeout)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		n := len(s.conns)
		s.mu.Unlock()
		if n == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.mu.Lock()
	for c := range s.conns {
		c.raw.Close()
	}
	s.mu.Unlock()
}

func (s *Server) serveConn(ctx context.Context, conn net.Conn) {
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	default:
		_ = conn.SetWriteDeadline(time.Now().Add(s.cfg.CommandTimeout))
		fmt.Fprintf(conn, "BYE (TRYLATER) \"Too many connections, try again later\"\r\n")
		conn.Close()
		s.log.Warn("connection refused: too many connections", "client", conn.RemoteAddr().String())
		return
	}
	sess := newSession(s, conn)
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		conn.Close()
		return
	}
	s.conns[sess] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.conns, sess)
		s.mu.Unlock()
		conn.Close()
	}()
	sess.run(ctx)
}
