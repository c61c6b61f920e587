package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/net/netutil"

	"github.com/tamis-mss/tamis/accounts"
	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/managesieve"
	"github.com/tamis-mss/tamis/mssante"
	"github.com/tamis-mss/tamis/serve/relay"
	"github.com/tamis-mss/tamis/store"
)

// Server is tamis serve: the LMTP delivery agent, its metrics and health
// endpoint, and the ManageSieve server when configured, over one policy
// store and one trust list.
type Server struct {
	cfg     Config
	log     *slog.Logger
	Metrics *Metrics
	Trust   *mssante.TrustSpace
	Store   store.Store
	// Engine are the compile options of every mailbox's policy.
	Engine   engine.Options
	Policies *Policies
	Agent    *Agent

	closers []io.Closer
	sweeper Sweeper

	lmtpLn, metricsLn, sieveLn net.Listener
	lmtp                       *smtp.Server
	sieve                      *managesieve.Server
	healthy                    atomic.Bool
}

// New opens the store, the reply state and the trust list the
// configuration names; Listen then Serve run the server, Close releases
// what New opened.
func New(cfg Config, log *slog.Logger) (*Server, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, log: log, Metrics: NewMetrics()}
	s.Trust = mssante.NewTrustSpace(nil)
	if err := s.ReloadTrust(); err != nil {
		return nil, err
	}
	st, closer, err := OpenStore(cfg.Store)
	if err != nil {
		return nil, err
	}
	s.Store = st
	if closer != nil {
		s.closers = append(s.closers, closer)
	}
	tracker, closer, err := OpenReplies(cfg.Replies)
	if err != nil {
		s.Close()
		return nil, err
	}
	if closer != nil {
		s.closers = append(s.closers, closer)
	}
	s.sweeper, _ = tracker.(Sweeper)
	opts := engine.Options{
		Trust:         s.Trust,
		Tracker:       stateTracker{tracker},
		MaxRedirects:  cfg.Engine.MaxRedirects,
		DefaultPeriod: cfg.Engine.DefaultPeriod,
		MinPeriod:     cfg.Engine.MinPeriod,
		MaxPeriod:     cfg.Engine.MaxPeriod,
	}
	s.Engine = opts
	s.Policies = NewPolicies(st, opts, log, s.Metrics)
	s.Agent = &Agent{
		Policies: s.Policies,
		Relay: relay.New(relay.Options{Address: cfg.Relay.Address, Hostname: cfg.Relay.Hostname,
			Timeout: cfg.Relay.Timeout, Trust: s.Trust}),
		Trust:        s.Trust,
		Log:          log,
		Metrics:      s.Metrics,
		MaildirPath:  cfg.Maildir.Path,
		Separator:    cfg.Maildir.Separator[0],
		Delimiter:    delimiter(cfg.LMTP.RecipientDelimiter),
		EnvelopeFrom: cfg.Relay.EnvelopeFrom,
		Postmaster:   cfg.Relay.Postmaster,
	}
	if cfg.ManageSieve.Listen != "" || cfg.ManageSieve.ListenTLS != "" {
		if err := s.newManageSieve(); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

func delimiter(s string) byte {
	if s == "" {
		return 0
	}
	return s[0]
}

func (s *Server) newManageSieve() error {
	c := s.cfg.ManageSieve
	if c.ListenTLS != "" {
		return errors.New("[managesieve] listen_tls is not supported by tamis serve yet: use listen with STARTTLS")
	}
	if c.UsersFile == "" {
		return errors.New("[managesieve] users_file is required")
	}
	users, err := accounts.OpenFile(c.UsersFile)
	if err != nil {
		return fmt.Errorf("[managesieve] %w", err)
	}
	tlsCfg, err := c.TLSConfig()
	if err != nil {
		return err
	}
	eng := s.Engine
	eng.Tracker = nil // uploads are only compiled, never evaluated
	s.sieve, err = managesieve.NewServer(c, managesieve.Options{Store: s.Store, Authenticator: users,
		Trust: s.Trust, Engine: eng, TLS: tlsCfg, Logger: s.log})
	return err
}

// ReloadTrust reads the trust list again ([trust] list, checked against
// its checksum); on any error the current list stays.
func (s *Server) ReloadTrust() error {
	c := s.cfg.Trust
	if c.List == "" {
		s.log.Warn("no [trust] list: targets are checked against the built-in unverified fallback")
		return nil
	}
	sum := c.Checksum
	if c.ChecksumFile != "" {
		data, err := os.ReadFile(c.ChecksumFile)
		if err != nil {
			s.Metrics.trustReloads.WithLabelValues("error").Inc()
			return fmt.Errorf("[trust] read checksum: %w", err)
		}
		sum = strings.TrimSpace(strings.Fields(string(data) + " ")[0])
	}
	if err := s.Trust.Load(c.List, sum); err != nil {
		s.Metrics.trustReloads.WithLabelValues("error").Inc()
		return fmt.Errorf("[trust] load %s: %w", c.List, err)
	}
	l := s.Trust.List()
	s.Metrics.trustReloads.WithLabelValues("ok").Inc()
	s.Metrics.trustGenerated.Set(float64(l.Generated().Unix()))
	s.log.Info("trust list loaded", "file", c.List, "domains", l.Len(), "generated", l.Generated(), "digest", l.Digest())
	return nil
}

// Listen binds the configured addresses, so that LMTPAddr and the others
// are known before Serve.
func (s *Server) Listen() error {
	var err error
	s.lmtpLn, err = listen(s.cfg.LMTP.Listen)
	if err != nil {
		return fmt.Errorf("[lmtp] listen: %w", err)
	}
	s.lmtpLn = netutil.LimitListener(s.lmtpLn, s.cfg.LMTP.MaxSessions)
	if s.cfg.Metrics.Listen != "" {
		if s.metricsLn, err = net.Listen("tcp", s.cfg.Metrics.Listen); err != nil {
			s.lmtpLn.Close()
			return fmt.Errorf("[metrics] listen: %w", err)
		}
	}
	if s.sieve != nil {
		if s.sieveLn, err = net.Listen("tcp", s.cfg.ManageSieve.Listen); err != nil {
			s.lmtpLn.Close()
			if s.metricsLn != nil {
				s.metricsLn.Close()
			}
			return fmt.Errorf("[managesieve] listen: %w", err)
		}
	}
	return nil
}

func listen(addr string) (net.Listener, error) {
	if path, ok := strings.CutPrefix(addr, "unix:"); ok {
		os.Remove(path) // a socket left by a previous run
		return net.Listen("unix", path)
	}
	return net.Listen("tcp", addr)
}

// LMTPAddr returns the LMTP listener's address (after Listen).
func (s *Server) LMTPAddr() net.Addr { return s.lmtpLn.Addr() }

// MetricsAddr returns the metrics listener's address, nil when disabled.
func (s *Server) MetricsAddr() net.Addr {
	if s.metricsLn == nil {
		return nil
	}
	return s.metricsLn.Addr()
}

// ManageSieveAddr returns the ManageSieve listener's address, nil when
// disabled.
func (s *Server) ManageSieveAddr() net.Addr {
	if s.sieveLn == nil {
		return nil
	}
	return s.sieveLn.Addr()
}

// Serve runs until ctx ends, then shuts down gracefully: it stops
// accepting, lets the transactions in flight finish (up to [lmtp]
// shutdown_timeout) and returns.
func (s *Server) Serve(ctx context.Context) error {
	if s.lmtpLn == nil {
		if err := s.Listen(); err != nil {
			return err
		}
	}
	s.healthy.Store(true)
	backend := &Backend{Agent: s.Agent, Delimiter: s.Agent.Delimiter,
		MaxMessageBytes: s.cfg.LMTP.MaxMessageBytes, DeliveryTimeout: s.cfg.LMTP.DeliveryTimeout, ctx: ctx}
	srv := smtp.NewServer(backend)
	srv.LMTP = true
	srv.Domain = s.cfg.LMTP.Hostname
	srv.MaxMessageBytes = s.cfg.LMTP.MaxMessageBytes
	srv.MaxRecipients = s.cfg.LMTP.MaxRecipients
	srv.ReadTimeout = s.cfg.LMTP.ReadTimeout
	srv.WriteTimeout = s.cfg.LMTP.WriteTimeout
	srv.EnableSMTPUTF8 = true
	srv.ErrorLog = slogPrinter{s.log}
	s.lmtp = srv

	var wg sync.WaitGroup
	errs := make(chan error, 4)
	wg.Go(func() {
		if err := srv.Serve(s.lmtpLn); err != nil && !errors.Is(err, smtp.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			errs <- fmt.Errorf("lmtp: %w", err)
		}
	})
	var httpSrv *http.Server
	if s.metricsLn != nil {
		httpSrv = &http.Server{Handler: s.httpHandler(), ReadHeaderTimeout: 10 * time.Second}
		wg.Go(func() {
			if err := httpSrv.Serve(s.metricsLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errs <- fmt.Errorf("metrics: %w", err)
			}
		})
	}
	if s.sieve != nil {
		wg.Go(func() {
			if err := s.sieve.Serve(ctx, s.sieveLn); err != nil {
				errs <- fmt.Errorf("managesieve: %w", err)
			}
		})
	}
	bg, stopBG := context.WithCancel(ctx)
	wg.Go(func() {
		if err := s.Policies.Watch(bg, s.cfg.Store.RefreshInterval); err != nil {
			s.log.Error("policy changes are not followed: policies are read again every refresh_interval", "err", err)
		}
	})
	wg.Go(func() { s.every(bg, s.cfg.Trust.ReloadInterval, s.reloadTrustLogged) })
	if s.sweeper != nil {
		wg.Go(func() { s.every(bg, s.cfg.Replies.SweepInterval, s.sweep) })
	}
	s.log.Info("tamis serve started", "lmtp", s.lmtpLn.Addr().String())

	var err error
	select {
	case <-ctx.Done():
	case err = <-errs:
	}
	s.healthy.Store(false)
	s.log.Info("shutting down: finishing the transactions in flight", "timeout", s.cfg.LMTP.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.LMTP.ShutdownTimeout)
	defer cancel()
	if serr := srv.Shutdown(sctx); serr != nil && !errors.Is(serr, smtp.ErrServerClosed) {
		s.log.Warn("transactions still open at the shutdown timeout: closed", "err", serr)
		srv.Close()
	}
	stopBG()
	if httpSrv != nil {
		httpSrv.Shutdown(sctx)
	}
	wg.Wait()
	s.log.Info("tamis serve stopped")
	return err
}

func (s *Server) every(ctx context.Context, d time.Duration, f func(context.Context)) {
	if d <= 0 {
		return
	}
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			f(ctx)
		case <-ctx.Done():
			return
		}
	}
}

func (s *Server) reloadTrustLogged(context.Context) {
	if err := s.ReloadTrust(); err != nil {
		s.log.Error("trust list not reloaded: the last good list stays", "err", err)
	}
}

func (s *Server) sweep(ctx context.Context) {
	n, err := s.sweeper.Sweep(ctx, time.Now())
	if err != nil {
		s.log.Error("reply state sweep failed", "err", err)
		return
	}
	s.log.Debug("reply state swept", "deleted", n)
}

// httpHandler answers /metrics and /healthz.
func (s *Server) httpHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.Metrics.Registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		if !s.healthy.Load() {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		l := s.Trust.List()
		fmt.Fprintf(w, "ok\ntrust list: %d domains, verified %v, generated %s\n", l.Len(), l.Verified(), l.Generated().Format(time.RFC3339))
	})
	return mux
}

// Close releases what New opened (the reply state file).
func (s *Server) Close() error {
	var errs []error
	for _, c := range s.closers {
		errs = append(errs, c.Close())
	}
	s.closers = nil
	return errors.Join(errs...)
}

// slogPrinter adapts go-smtp's error log to slog.
type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Printf(format string, v ...any) {
	p.log.Warn("lmtp", "msg", fmt.Sprintf(format, v...))
}
func (p slogPrinter) Println(v ...any) { p.log.Warn("lmtp", "msg", fmt.Sprint(v...)) }
