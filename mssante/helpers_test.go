package mssante

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
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

func requireListDir(tb testing.TB) {
	tb.Helper()
	if _, err := os.Stat(listDir); err != nil {
		tb.Skipf("the published trust lists are not available (%v); they live in ../shared/data/listeblanche next to the repository", err)
	}
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
