package oracle

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "re-run Pigeonhole and rewrite the captures of testdata whose meaning changed (never the inputs)")

// capture is one run of sieve-test whose output is kept in testdata as
// NAME.out (stdout), NAME.err (stderr) and NAME.rc (exit code). The parser
// tests read these captures; they are written only by this file's test
// with -update, never by hand.
type capture struct {
	name            string
	script, message string
	before          []string // scripts run before script (-s)
	from, rcpt      string   // default x@medecin.mssante.fr, me@medecin.mssante.fr
	execute         bool     // one run with -execute (and without creating folders)
	extensions      string
}

var captures = []capture{
	{name: "keep", script: "keep.sieve", message: "plain.eml"},
	{name: "fileinto", script: "fileinto.sieve", message: "plain.eml"},
	{name: "discard", script: "discard.sieve", message: "plain.eml"},
	{name: "reject", script: "reject.sieve", message: "plain.eml"},
	{name: "mixed", script: "mixed.sieve", message: "plain.eml"},
	{name: "empty", script: "empty.sieve", message: "plain.eml"},
	{name: "reject-fileinto", script: "reject-fileinto.sieve", message: "plain.eml"},
	{name: "five-redirects", script: "five-redirects.sieve", message: "plain.eml"},
	{name: "compile-error", script: "compile-error.sieve", message: "plain.eml"},
	{name: "flags", script: "flags.sieve", message: "plain.eml", extensions: "+vacation-seconds"},
	{name: "vacation-default", script: "vacation-default.sieve", message: "plain.eml"},
	{name: "vacation", script: "vacation.sieve", message: "plain.eml"},
	{name: "vacation-multiline", script: "vacation-multiline.sieve", message: "plain.eml"},
	{name: "sequence", script: "fileinto.sieve", message: "plain.eml", before: []string{"copy.sieve", "flag-stop.sieve"}},
	{name: "sequence-discard", script: "fileinto.sieve", message: "plain.eml", before: []string{"copy.sieve", "discard.sieve"}},
	{name: "exec-sent", script: "vacation.sieve", message: "plain.eml", execute: true},
	{name: "exec-auto-submitted", script: "vacation.sieve", message: "auto-submitted.eml", execute: true},
	{name: "exec-not-addressed", script: "vacation.sieve", message: "not-addressed.eml", execute: true},
	{name: "exec-list", script: "vacation.sieve", message: "list.eml", execute: true},
	{name: "exec-own-address", script: "vacation.sieve", message: "plain.eml", from: "me@medecin.mssante.fr", execute: true},
	{name: "exec-system-address", script: "vacation.sieve", message: "plain.eml", from: "MAILER-DAEMON@medecin.mssante.fr", execute: true},
	// The folder does not exist in the maildir (Run creates the folders a
	// report names; this capture does not): the store fails before the
	// vacation action, which decides nothing.
	{name: "exec-fileinto-fails", script: "vacation-fileinto.sieve", message: "plain.eml", execute: true},
	{name: "exec-default-subject", script: "vacation-default-subject.sieve", message: "accents.eml", execute: true},
	{name: "exec-redirect-and-vacation", script: "vacation-redirect.sieve", message: "plain.eml", execute: true},
}

// captureNow is the clock of every capture.
var captureNow = time.Date(2025, 1, 7, 10, 0, 0, 0, time.UTC)

// request builds the Request of a capture from its testdata files.
func (c capture) request(t *testing.T) Request {
	r := Request{Script: readTestdata(t, c.script), Message: readTestdata(t, c.message), Now: captureNow,
		From: "x@medecin.mssante.fr", Rcpt: "me@medecin.mssante.fr", Extensions: c.extensions}
	for _, b := range c.before {
		r.Before = append(r.Before, readTestdata(t, b))
	}
	if c.from != "" {
		r.From = c.from
	}
	if c.rcpt != "" {
		r.Rcpt = c.rcpt
	}
	return r
}

// logUser is the user name sieve-test prints in its log lines, which depends
// on who ran it.
var logUser = regexp.MustCompile(`sieve-test\([^)]*\)`)

// meaning reduces a capture to what the parsers read from it, so that two
// runs that differ only in the user, the date or the message ids of the
// replies compare equal.
func meaning(execute bool, stdout, stderr string, code int) string {
	stderr = logUser.ReplaceAllString(stderr, "sieve-test(USER)")
	if !execute {
		o, err := parseRun(stdout, stderr, code)
		if err != nil {
			return "error: " + err.Error()
		}
		var b strings.Builder
		b.WriteString(o.Summary())
		for _, w := range o.Warnings {
			fmt.Fprintf(&b, "warning: %s\n", w)
		}
		for _, s := range o.Scripts {
			fmt.Fprintf(&b, "script %s: %v keep %v %v\n", s.Name, s.Actions, s.ImplicitKeep, s.KeepFlags)
		}
		if v := o.Vacation; v != nil {
			fmt.Fprintf(&b, "vacation %+v\n", *v)
		}
		return b.String()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "exit %d\n", code)
	if d, ok := ParseDecision(stderr); ok {
		fmt.Fprintf(&b, "decision %+v\n", d)
	}
	r, err := ParseSentReply(stdout)
	fmt.Fprintf(&b, "reply %+v %v\n", r, err)
	return b.String()
}

// TestCapturesAreCurrent runs Pigeonhole on the inputs of every capture and
// requires the same meaning as the capture kept in testdata: the captures
// the parser tests read are what this runner gets from the installed
// Pigeonhole. With -update, the captures that differ (or are missing) are
// rewritten.
func TestCapturesAreCurrent(t *testing.T) {
	RequireAvailable(t)
	for _, c := range captures {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			w, err := newWorkdir(c.request(t))
			if err != nil {
				t.Fatal(err)
			}
			defer w.remove()
			live, err := w.run(context.Background(), c.execute)
			if err != nil {
				t.Fatal(err)
			}
			got := meaning(c.execute, live.stdout, live.stderr, live.code)
			want := "(no capture)"
			if stdout, stderr, code, err := readCapture(c.name); err == nil {
				want = meaning(c.execute, stdout, stderr, code)
			}
			if got == want {
				return
			}
			if !*update {
				t.Fatalf("Pigeonhole's output no longer means what testdata/%s.* holds (run with -update and review):\n--- capture:\n%s--- now:\n%s", c.name, want, got)
			}
			for ext, data := range map[string]string{".out": live.stdout, ".err": live.stderr, ".rc": strconv.Itoa(live.code) + "\n"} {
				if err := os.WriteFile(filepath.Join("testdata", c.name+ext), []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			t.Logf("rewrote testdata/%s.*", c.name)
		})
	}
}

// readCapture reads the three captured streams of the run name.
func readCapture(name string) (stdout, stderr string, code int, err error) {
	read := func(ext string) string {
		b, e := os.ReadFile(filepath.Join("testdata", name+ext))
		if e != nil && err == nil {
			err = e
		}
		return string(b)
	}
	stdout, stderr = read(".out"), read(".err")
	rc := read(".rc")
	if err != nil {
		return "", "", 0, err
	}
	code, err = strconv.Atoi(strings.TrimSpace(rc))
	return stdout, stderr, code, err
}
