package oracle

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// EnvPath is the environment variable that, when set, names the oracle
// script instead of ../shared/oracle/sieve-oracle next to the repository.
const EnvPath = "TAMIS_SIEVE_ORACLE"

// Exit codes of sieve-test that Run reports in Outcome.ExitCode. Any other
// code (2: usage or setup problem, 75: configuration error…) is an error.
const (
	ExitSuccess      = 0  // the script ran
	ExitRuntimeError = 1  // the script failed; the implicit keep applies
	ExitCompileError = 89 // the script did not compile; nothing ran
)

// Request is one run of the oracle.
type Request struct {
	// Script is the Sieve script and Message the RFC 5322 message.
	Script, Message []byte
	// Now pins the clock Pigeonhole sees (currentdate, vacation dates); the
	// zero time leaves the real clock.
	Now time.Time
	// From and Rcpt are the envelope sender and recipient; empty means the
	// oracle's defaults (sender@example.org, recipient@example.org).
	// sieve-test refuses an empty envelope sender.
	From, Rcpt string
	// Execute asks for the absence-reply decision: see the package
	// documentation.
	Execute bool
	// Extensions is passed as -x, e.g. "+vacation-seconds".
	Extensions string
	// Before are scripts run before Script, in order, as Pigeonhole runs
	// sieve_before scripts (sieve-test -s); the report then has one section
	// per script (see ParseLayeredReport).
	Before [][]byte

	beforeFiles []string // Before, written by Run
}

// Path returns the oracle script's path: $TAMIS_SIEVE_ORACLE when set,
// otherwise ../shared/oracle/sieve-oracle relative to the repository root,
// found by walking up from the working directory to the directory that holds
// go.mod (tests run in their package's directory).
func Path() (string, error) {
	if p := os.Getenv(EnvPath); p != "" {
		return p, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find the sieve oracle: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "oracle", "sieve-oracle"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("find the sieve oracle: no go.mod above the working directory (set " + EnvPath + ")")
		}
		dir = parent
	}
}

// Available returns nil when the oracle can run here: the script exists and
// is executable, bash is installed, and either sieve-test and faketime are
// installed or the process runs as root (the script then installs them with
// apt-get on first use). Otherwise it says what is missing.
func Available() error {
	path, err := Path()
	if err != nil {
		return err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("sieve oracle: %w", err)
	}
	if !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
		return fmt.Errorf("sieve oracle: %s is not an executable file", path)
	}
	if _, err := exec.LookPath("bash"); err != nil {
		return fmt.Errorf("sieve oracle: %w", err)
	}
	_, errTest := exec.LookPath("sieve-test")
	_, errTime := exec.LookPath("faketime")
	if errTest == nil && errTime == nil {
		return nil
	}
	if os.Geteuid() != 0 {
		return errors.New("sieve oracle: sieve-test or faketime is not installed (apt-get install dovecot-sieve faketime)")
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		return errors.New("sieve oracle: sieve-test or faketime is not installed and apt-get is missing")
	}
	return nil
}

// TB is the part of testing.TB that RequireAvailable uses.
type TB interface {
	Helper()
	Skipf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// RequireAvailable skips the test when the oracle is not available, unless
// the environment variable CI is set: CI installs the oracle, so there a
// missing oracle fails the test instead of hiding it.
func RequireAvailable(t TB) {
	t.Helper()
	err := Available()
	if err == nil {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set but the Sieve oracle cannot run: %v", err)
		return
	}
	t.Skipf("Sieve oracle not available (set CI to make this fatal): %v", err)
}

// Run runs the oracle on r.Script and r.Message and parses its report. It
// returns an error when the oracle could not run (missing script, setup
// problem, unknown exit code) or printed something the parser does not
// understand; a script that fails to compile or run is not an error but an
// Outcome with ExitCode 89 or 1. With r.Execute, a vacation action whose
// decision cannot be found in the -execute run is an error (an earlier action
// failed in the throw-away maildir, e.g. fileinto a folder other than INBOX).
func Run(ctx context.Context, r Request) (Outcome, error) {
	path, err := Path()
	if err != nil {
		return Outcome{}, err
	}
	dir, err := os.MkdirTemp("", "tamis-oracle-")
	if err != nil {
		return Outcome{}, fmt.Errorf("sieve oracle: %w", err)
	}
	defer os.RemoveAll(dir)
	script, message := filepath.Join(dir, "script.sieve"), filepath.Join(dir, "message.eml")
	if err := os.WriteFile(script, r.Script, 0o644); err != nil {
		return Outcome{}, fmt.Errorf("sieve oracle: %w", err)
	}
	if err := os.WriteFile(message, r.Message, 0o644); err != nil {
		return Outcome{}, fmt.Errorf("sieve oracle: %w", err)
	}

	for i, b := range r.Before {
		f := filepath.Join(dir, fmt.Sprintf("before%d.sieve", i+1))
		if err := os.WriteFile(f, b, 0o644); err != nil {
			return Outcome{}, fmt.Errorf("sieve oracle: %w", err)
		}
		r.beforeFiles = append(r.beforeFiles, f)
	}

	stdout, stderr, code, err := runOnce(ctx, path, r, false, script, message)
	if err != nil {
		return Outcome{}, err
	}
	o, err := parseRun(stdout, stderr, code)
	if err != nil || !r.Execute || o.Vacation == nil {
		return o, err
	}
	stdout, stderr, code, err = runOnce(ctx, path, r, true, script, message)
	if err != nil {
		return o, err
	}
	return o, addDecision(&o, stdout, stderr, code)
}

// parseRun builds the Outcome of a report run (without -execute) from its
// output and exit code.
func parseRun(stdout, stderr string, code int) (Outcome, error) {
	o := Outcome{ExitCode: code, Stdout: stdout, Stderr: stderr}
	o.Errors, o.Warnings = diagnostics(stderr)
	switch code {
	case ExitSuccess:
		rep, err := ParseLayeredReport(stdout)
		if err != nil {
			return o, err
		}
		o.Actions, o.ImplicitKeep, o.KeepFlags, o.Vacation = rep.Actions, rep.ImplicitKeep, rep.KeepFlags, rep.Vacation
	case ExitRuntimeError:
		o.ImplicitKeep = keptAfterFailure(stderr)
	case ExitCompileError:
	default:
		return o, fmt.Errorf("sieve oracle: exit code %d: %s", code, strings.TrimSpace(stderr))
	}
	return o, nil
}

// addDecision records in o.Vacation the decision of a -execute run.
func addDecision(o *Outcome, stdout, stderr string, code int) error {
	o.ExecuteStdout, o.ExecuteStderr = stdout, stderr
	if o.Vacation == nil {
		return errors.New("sieve oracle: a vacation decision without a planned vacation action")
	}
	d, ok := ParseDecision(stderr)
	if !ok {
		return fmt.Errorf("sieve oracle -execute (exit %d): no vacation decision in its log: %s", code, strings.TrimSpace(stderr))
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

// runOnce runs the oracle script once and returns its output and exit code.
func runOnce(ctx context.Context, path string, r Request, execute bool, script, message string) (stdout, stderr string, code int, err error) {
	var args []string
	if execute {
		args = append(args, "-execute")
	}
	if !r.Now.IsZero() {
		args = append(args, "-now", r.Now.UTC().Format(time.RFC3339))
	}
	if r.From != "" {
		args = append(args, "-from", r.From)
	}
	if r.Rcpt != "" {
		args = append(args, "-rcpt", r.Rcpt)
	}
	if r.Extensions != "" {
		args = append(args, "-x", r.Extensions)
	}
	for _, f := range r.beforeFiles {
		args = append(args, "-s", f)
	}
	args = append(args, script, message)
	cmd := exec.CommandContext(ctx, path, args...)
	// When ctx ends, the script is killed; its children (sieve-test) may
	// still hold the pipes: do not wait for them for long.
	cmd.WaitDelay = 5 * time.Second
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return out.String(), errOut.String(), 0, nil
	case errors.As(err, &exit) && exit.Exited():
		return out.String(), errOut.String(), exit.ExitCode(), nil
	default:
		return "", "", -1, fmt.Errorf("run sieve oracle %s: %w: %s", path, err, bytes.TrimSpace(errOut.Bytes()))
	}
}
