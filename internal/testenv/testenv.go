// Package testenv is the one place that decides what a test does when
// something outside the repository is missing (Dovecot Pigeonhole, Postfix,
// a Redis server, Chromium…): outside CI the test is skipped with one line
// naming the install command; with CI set (GitHub Actions and GitLab set it,
// and so does .ci/run) it fails, because there the dependency must be
// present.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// InCI reports whether the environment variable CI is set to something other
// than "", "0" or "false".
func InCI() bool {
	switch strings.ToLower(os.Getenv("CI")) {
	case "", "0", "false":
		return false
	}
	return true
}

// Missing ends tb because an external dependency is absent: it skips with
// the reason and the install hint, or fails when InCI.
func Missing(tb testing.TB, what, install string, err error) {
	tb.Helper()
	msg := what + " is not available"
	if err != nil {
		msg += " (" + err.Error() + ")"
	}
	if install != "" {
		msg += "; install it with: " + install
	}
	if InCI() {
		tb.Fatal(msg + " [CI is set: this test must run]")
	}
	tb.Skip(msg)
}

// Command returns the path of the program name, or ends tb through Missing
// with install as the hint (for example "apt-get install dovecot-sieve").
func Command(tb testing.TB, name, install string) string {
	tb.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		Missing(tb, name, install, err)
	}
	return path
}

// Root returns the repository root: the nearest directory above the working
// directory that holds go.mod.
func Root(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("testenv: no go.mod above the working directory")
		}
		dir = parent
	}
}

// TrustList returns the path of the published trust list of 2025-03-13 in
// the repository's testdata (see testdata/listeblanche/README.md).
func TrustList(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(Root(tb), "testdata", "listeblanche", "listeblanchemssante-2025-03-13.xml")
}

// TrustListPartial returns the path of the partial list of 2025-05-21.
func TrustListPartial(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(Root(tb), "testdata", "listeblanche", "listeblanchemssante-2025-05-21-partial.xml")
}

// Checksums of the lists above, as published.
const (
	TrustListSHA256        = "ea660e72943a22a92aa569878e9bcd5311bed0ae5f40b4c82a992b1990a0ec59"
	TrustListPartialSHA256 = "fcec0113fe62c11c551882adc97f9eb254665d41fc31404cf984a0672cd9b2b2"
)
