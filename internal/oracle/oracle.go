package oracle

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// Exit codes of sieve-test that Run reports in Outcome.ExitCode. Any other
// code (64: usage, 75: temporary failure, 78: configuration error…) is an
// error.
const (
	ExitSuccess      = 0  // the script ran
	ExitRuntimeError = 1  // the script failed; the implicit keep applies
	ExitCompileError = 89 // the script did not compile; nothing ran
)

// Default envelope of a Request that gives none.
const (
	DefaultFrom = "sender@example.org"
	DefaultRcpt = "recipient@example.org"
)

// Request is one run of Pigeonhole.
type Request struct {
	// Script is the Sieve script and Message the RFC 5322 message.
	Script, Message []byte
	// Before are scripts run in order before Script, as Pigeonhole runs the
	// scripts of sieve_before (sieve-test -s): see the package documentation
	// for how a sequence runs. The report then has one part per script that
	// ran (Outcome.Scripts).
	Before [][]byte
	// Now pins the clock Pigeonhole sees (currentdate, vacation dates); the
	// zero time leaves the real clock.
	Now time.Time
	// From and Rcpt are the envelope sender and recipient; empty means
	// DefaultFrom and DefaultRcpt. sieve-test refuses an empty envelope
	// sender.
	From, Rcpt string
	// Execute asks for the absence-reply decision: see the package
	// documentation.
	Execute bool
	// Extensions is passed as -x, e.g. "+vacation-seconds".
	Extensions string
}

// Run runs Pigeonhole on r.Script (after r.Before) and r.Message and parses
// its report. It returns an error when sieve-test could not run (not
// installed, setup problem, unknown exit code) or printed something the
// parser does not understand; a script that fails to compile or run is not
// an error but an Outcome with ExitCode 89 or 1. With r.Execute, a vacation
// action whose decision cannot be found in the -execute run is an error.
func Run(ctx context.Context, r Request) (Outcome, error) {
	w, err := newWorkdir(r)
	if err != nil {
		return Outcome{}, err
	}
	defer w.remove()

	res, err := w.run(ctx, false)
	if err != nil {
		return Outcome{}, err
	}
	o, err := parseRun(res.stdout, res.stderr, res.code)
	if err != nil || !r.Execute || o.Vacation == nil && !hasNotify(o.Actions) {
		return o, err
	}
	// The -execute run stores into the throw-away maildir: the folders the
	// report names must exist there, or the store fails before the vacation
	// action runs.
	if err := w.createFolders(o.Actions); err != nil {
		return o, err
	}
	res, err = w.run(ctx, true)
	if err != nil {
		return o, err
	}
	if o.Notices, err = ParseSentNotices(res.stdout + "\n" + res.stderr); err != nil {
		return o, err
	}
	if o.Vacation == nil {
		o.ExecuteStdout, o.ExecuteStderr = res.stdout, res.stderr
		return o, nil
	}
	return o, addDecision(&o, res.stdout, res.stderr, res.code)
}

// parseRun builds the Outcome of a report run (without -execute) from its
// output and exit code.
func parseRun(stdout, stderr string, code int) (Outcome, error) {
	o := Outcome{ExitCode: code, Stdout: stdout, Stderr: stderr}
	o.Errors, o.Warnings = diagnostics(stderr)
	switch code {
	case ExitSuccess:
		rep, err := ParseReport(stdout)
		if err != nil {
			return o, err
		}
		o.Actions, o.ImplicitKeep, o.KeepFlags, o.Vacation, o.Scripts = rep.Actions, rep.ImplicitKeep, rep.KeepFlags, rep.Vacation, rep.Scripts
	case ExitRuntimeError:
		o.ImplicitKeep = keptAfterFailure(stderr)
	case ExitCompileError:
	default:
		return o, fmt.Errorf("sieve-test: exit code %d: %s", code, strings.TrimSpace(stderr))
	}
	return o, nil
}

// addDecision records in o.Vacation the decision of a -execute run.
func addDecision(o *Outcome, stdout, stderr string, code int) error {
	o.ExecuteStdout, o.ExecuteStderr = stdout, stderr
	if o.Vacation == nil {
		return errors.New("sieve-test -execute: a vacation decision without a planned vacation action")
	}
	d, ok := ParseDecision(stderr)
	if !ok {
		return fmt.Errorf("sieve-test -execute (exit %d): no vacation decision in its log: %s", code, strings.TrimSpace(stderr))
	}
	o.Vacation.Decided, o.Vacation.Sent, o.Vacation.To = true, d.Sent, d.To
	if !d.Sent {
		o.Vacation.Reason = d.Text
		return nil
	}
	reply, err := ParseSentReply(stdout)
	if err != nil {
		return err
	}
	if reply == nil {
		return errNoSentReply
	}
	o.Vacation.Reply = reply
	return nil
}

// createFolders creates in the maildir every folder a fileinto action of
// actions names (INBOX is the maildir itself). A folder whose name cannot
// be a path inside the maildir is left out: the store then fails, and so
// does Run, with Pigeonhole's explanation.
func (w *workdir) createFolders(actions []Action) error {
	for _, a := range actions {
		if a.Kind != KindFileInto || strings.EqualFold(a.Folder, "INBOX") || !safeFolder(a.Folder) {
			continue
		}
		for _, sub := range []string{"cur", "new", "tmp"} {
			if err := w.mkdir(filepath.Join(w.mail, filepath.FromSlash(a.Folder), sub)); err != nil {
				return fmt.Errorf("sieve-test: create folder %q: %w", a.Folder, err)
			}
		}
	}
	return nil
}

// safeFolder reports whether a folder name is a relative path without "."
// or ".." parts, so that it stays inside the maildir.
func safeFolder(name string) bool {
	if name == "" || strings.ContainsAny(name, "\x00\\") || strings.HasPrefix(name, "/") {
		return false
	}
	for part := range strings.SplitSeq(name, "/") {
		if part == "" || part == "." || part == ".." {
			return false
		}
	}
	return true
}
