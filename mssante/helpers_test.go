package mssante

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tamis-mss/tamis/internal/oracle"
)

// The real lists published by ANS, shared by the project's tests and never
// copied into the repository.
const listDir = "../../shared/data/listeblanche"

var (
	fullFile    = filepath.Join(listDir, "listeblanchemssante-2025-03-13.xml")
	partialFile = filepath.Join(listDir, "listeblanchemssante-2025-05-21-partial.xml")
)

// The SHA-256 of the two files. The partial one is the value the mirror
// publishes; the README's value for the full file has a stray leading
// digit (65 digits), so this is the file's actual digest, checked against
// sha256sum.
const (
	fullSHA256    = "ea660e72943a22a92aa569878e9bcd5311bed0ae5f40b4c82a992b1990a0ec59"
	partialSHA256 = "fcec0113fe62c11c551882adc97f9eb254665d41fc31404cf984a0672cd9b2b2"
)

var (
	fullOnce, partialOnce sync.Once
	fullList, partialList *List
	fullErr, partialErr   error
)

// requireListDir skips the test when the published lists cannot be read
// here, unless the environment variable CI is set: CI provides ../shared,
// so there a missing list fails the test instead of hiding it (the rule of
// oracle.RequireAvailable, whose TB it takes).
func requireListDir(tb oracle.TB) {
	tb.Helper()
	if err := listsAvailable(); err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("CI is set but the published trust lists are missing: %v", err)
			return
		}
		tb.Skipf("the published trust lists are not available (%v); they live in ../shared/data/listeblanche next to the repository (set CI to make this fatal)", err)
	}
}

// listsAvailable returns nil when both published lists exist, otherwise
// what is missing.
func listsAvailable() error {
	for _, f := range []string{fullFile, partialFile} {
		if _, err := os.Stat(f); err != nil {
			return err
		}
	}
	return nil
}

// full returns the 2025-03-13 list, loaded once with its checksum.
func full(tb testing.TB) *List {
	tb.Helper()
	requireListDir(tb)
	fullOnce.Do(func() { fullList, fullErr = LoadList(fullFile, fullSHA256) })
	require.NoError(tb, fullErr)
	return fullList
}

// partial returns the 2025-05-21 partial list, loaded once with its checksum.
func partial(tb testing.TB) *List {
	tb.Helper()
	requireListDir(tb)
	partialOnce.Do(func() { partialList, partialErr = LoadList(partialFile, partialSHA256) })
	require.NoError(tb, partialErr)
	return partialList
}

type fakeTB struct{ skipped, failed bool }

func (*fakeTB) Helper()                 { /* nothing to mark */ }
func (f *fakeTB) Skipf(string, ...any)  { f.skipped = true }
func (f *fakeTB) Fatalf(string, ...any) { f.failed = true }

// TestRequireListDirFailsInCI checks that a missing list skips a test on a
// workstation but fails it in CI.
func TestRequireListDirFailsInCI(t *testing.T) {
	saved := fullFile
	t.Cleanup(func() { fullFile = saved })
	fullFile = filepath.Join(t.TempDir(), "absent.xml")

	t.Setenv("CI", "true")
	var f fakeTB
	requireListDir(&f)
	require.True(t, f.failed)
	require.False(t, f.skipped)

	t.Setenv("CI", "")
	f = fakeTB{}
	requireListDir(&f)
	require.True(t, f.skipped)
	require.False(t, f.failed)
}
