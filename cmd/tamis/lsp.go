package main

import (
	"context"
	"errors"
	"log/slog"
	"os/signal"
	"syscall"

	"github.com/tamis-mss/tamis/lsp"
)

var lspHelp = help{
	name:  "lsp",
	usage: "[--trust FILE [--checksum HEX]] [-v]",
	about: `
Lsp runs the tamis language server on standard input and output, for an
editor: diagnostics as you type (with the trust check of reroute and copy
targets), formatting, completion of keywords and of the trusted domains
after "@" in an address, and the documentation of a keyword on hover.
Editors start it themselves; see editors/README.md. It speaks the language
chosen by --lang, else the editor's display language (the locale it sends
when it starts the session), else the one of LC_ALL, LC_MESSAGES or LANG.

Without --trust, the editor may name the list in its initializationOptions
({"trust": FILE, "checksum": HEX}); otherwise targets are checked against the
built-in unverified fallback. Logs go to standard error.

Exit status: 0 after the editor's shutdown and exit, 1 when the editor went
away without shutdown, 2 for bad usage or a trust list that cannot be read.`,
	examples: `
tamis lsp
tamis lsp --trust listeblanchemssante.xml --checksum "$(cat checksum)"`,
}

func runLSP(env *cliEnv, args []string) int {
	fs := newFlags("lsp")
	var trust trustFlags
	trust.register(fs)
	verbose := fs.Bool("v", false, "log every message exchanged (method and duration, never the text) to standard error")
	rest, code, ok := parseArgs(env, fs, lspHelp, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		env.p.Fprintf(env.stderr, "tamis lsp: unexpected argument %q; the server reads standard input\n", rest[0])
		return exitUsage
	}
	opts := lsp.Options{Language: env.p.Tag(), FixedLanguage: env.langGiven}
	if trust.file != "" || trust.checksum != "" {
		ts, err := trust.load(env, false)
		if err != nil {
			env.p.Fprintf(env.stderr, "tamis lsp: %s\n", err)
			return exitUsage
		}
		opts.Trust = ts
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	opts.Logger = slog.New(slog.NewTextHandler(env.stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	err := lsp.New(opts).Serve(ctx, env.stdin, env.stdout)
	if errors.Is(err, lsp.ErrNoShutdown) {
		return exitFound
	}
	if err != nil {
		env.p.Fprintf(env.stderr, "tamis lsp: %v\n", err)
		return exitFound
	}
	return exitOK
}
