package oracle

import (
	"errors"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/tamis-mss/tamis/internal/testenv"
)

// Install is the command that installs what Run needs on Debian and
// Ubuntu: Pigeonhole's sieve-test and libfaketime.
const Install = "apt-get install dovecot-sieve faketime"

// fakeTimeLibraries are the places Debian, Ubuntu and a source build put
// libfaketime's preload library, by architecture.
var fakeTimeLibraries = []string{
	"/usr/lib/*/faketime/libfaketime.so.1",
	"/usr/lib/faketime/libfaketime.so.1",
	"/usr/lib64/faketime/libfaketime.so.1",
	"/usr/local/lib/faketime/libfaketime.so.1",
}

// fakeTimeLibrary returns the path of libfaketime's preload library.
func fakeTimeLibrary() (string, error) {
	for _, pattern := range fakeTimeLibraries {
		if m, _ := filepath.Glob(pattern); len(m) > 0 {
			return m[0], nil
		}
	}
	return "", errors.New("libfaketime.so.1 is not in /usr/lib/*/faketime or the other usual places")
}

// Available returns nil when Run can work here: sieve-test and libfaketime
// are installed. Otherwise it says what is missing.
func Available() error {
	if _, err := exec.LookPath("sieve-test"); err != nil {
		return err
	}
	_, err := fakeTimeLibrary()
	return err
}

// RequireAvailable ends tb through internal/testenv when Run cannot work
// here: the test is skipped with the install command, or fails when CI is
// set.
func RequireAvailable(tb testing.TB) {
	tb.Helper()
	testenv.Command(tb, "sieve-test", Install)
	if _, err := fakeTimeLibrary(); err != nil {
		testenv.Missing(tb, "libfaketime", Install, err)
	}
}
