package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/tamis-mss/tamis/serve"
)

var serveHelp = help{
	name:  "serve",
	usage: "--config FILE [flags]",
	about: `
Serve runs the delivery agent: an LMTP server that Postfix delivers to. For
each recipient it evaluates the mailbox's policy from the policy store,
stores kept and filed messages in Maildir++ folders that Dovecot reads,
hands copies, reroutes and absence replies to the SMTP relay (the trust
check applied again), and answers 250 once the message is durable, 4xx when
something could not be done now (the MTA retries). With a [managesieve]
section it also runs the ManageSieve server on the same store.

The configuration file is TOML (see docs/SERVE.md); the flags below override
its values. SIGHUP reloads the trust list; SIGINT and SIGTERM stop accepting
and finish the transactions in flight.

Exit status: 0 after a graceful shutdown, 2 for bad usage or a configuration
that cannot be used, 1 when the server failed while running.`,
	examples: `
tamis serve --config /etc/tamis/serve.toml
tamis serve --config serve.toml --lmtp unix:/var/spool/postfix/private/tamis --log-level debug`,
}

func runServe(env *cliEnv, args []string) int {
	fs := newFlags("serve")
	config := fs.String("config", "", "the configuration `FILE` (TOML); required")
	lmtp := fs.String("lmtp", "", "override [lmtp] listen with `ADDR`: host:port or unix:/path")
	storePath := fs.String("store", "", "override [store] path with `PATH`")
	maildirPath := fs.String("maildir", "", "override [maildir] path with `PATH` (%u, %n, %d)")
	relayAddr := fs.String("relay", "", "override [relay] address with `ADDR`")
	metrics := fs.String("metrics", "", "override [metrics] listen with `ADDR`")
	level := fs.String("log-level", "", "override [log] level with `LEVEL`: debug, info, warn or error")
	rest, code, ok := parseArgs(env, fs, serveHelp, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		env.p.Fprintf(env.stderr, "tamis serve: unexpected argument %q; run \"tamis serve --help\"\n", rest[0])
		return exitUsage
	}
	if *config == "" {
		env.p.Fprintln(env.stderr, "tamis serve: --config FILE is required; run \"tamis serve --help\"")
		return exitUsage
	}
	cfg, err := serve.LoadConfig(*config)
	if err != nil {
		env.p.Fprintf(env.stderr, "tamis serve: %s\n", err)
		return exitUsage
	}
	for _, o := range []struct {
		flag string
		dst  *string
	}{{*lmtp, &cfg.LMTP.Listen}, {*storePath, &cfg.Store.Path}, {*maildirPath, &cfg.Maildir.Path},
		{*relayAddr, &cfg.Relay.Address}, {*metrics, &cfg.Metrics.Listen}, {*level, &cfg.Log.Level}} {
		if o.flag != "" {
			*o.dst = o.flag
		}
	}
	if err := cfg.Check(); err != nil {
		env.p.Fprintf(env.stderr, "tamis serve: %s\n", err)
		return exitUsage
	}
	log := newServeLogger(env, cfg.Log)
	srv, err := serve.New(cfg, log)
	if err != nil {
		env.p.Fprintf(env.stderr, "tamis serve: %s\n", err)
		return exitUsage
	}
	defer srv.Close()
	if err := srv.Listen(); err != nil {
		env.p.Fprintf(env.stderr, "tamis serve: %s\n", err)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for {
			select {
			case <-hup:
				if err := srv.ReloadTrust(); err != nil {
					log.Error("trust list not reloaded: the last good list stays", "err", err)
				}
			case <-ctx.Done():
				return
			}
		}
	}()
	if err := srv.Serve(ctx); err != nil {
		log.Error("tamis serve failed", "err", err)
		return exitFound
	}
	return exitOK
}

func newServeLogger(env *cliEnv, c serve.LogConfig) *slog.Logger {
	var lv slog.Level
	_ = lv.UnmarshalText([]byte(c.Level)) // checked by Config.Check
	opts := &slog.HandlerOptions{Level: lv}
	if c.Format == "text" {
		return slog.New(slog.NewTextHandler(env.stderr, opts))
	}
	return slog.New(slog.NewJSONHandler(env.stderr, opts))
}
