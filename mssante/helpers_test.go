package mssante

import (
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/internal/testenv"
)

// The two lists published by ANS, as the repository holds them in
// testdata/listeblanche (see internal/testenv), relative to this package.
var (
	listDir     = filepath.Join("..", "testdata", "listeblanche")
	fullFile    = filepath.Join(listDir, "listeblanchemssante-2025-03-13.xml")
	partialFile = filepath.Join(listDir, "listeblanchemssante-2025-05-21-partial.xml")
)

// The SHA-256 of the two files, as published.
const (
	fullSHA256    = testenv.TrustListSHA256
	partialSHA256 = testenv.TrustListPartialSHA256
)

var (
	fullOnce, partialOnce sync.Once
	fullList, partialList *List
	fullErr, partialErr   error
)

// full returns the 2025-03-13 list, loaded once with its checksum.
func full(tb testing.TB) *List {
	tb.Helper()
	fullOnce.Do(func() { fullList, fullErr = LoadList(fullFile, fullSHA256) })
	require.NoError(tb, fullErr)
	return fullList
}

// partial returns the 2025-05-21 partial list, loaded once with its checksum.
func partial(tb testing.TB) *List {
	tb.Helper()
	partialOnce.Do(func() { partialList, partialErr = LoadList(partialFile, partialSHA256) })
	require.NoError(tb, partialErr)
	return partialList
}

// The paths above are the files internal/testenv names.
func TestListPathsAreTestenvs(t *testing.T) {
	for rel, want := range map[string]string{fullFile: testenv.TrustList(t), partialFile: testenv.TrustListPartial(t)} {
		abs, err := filepath.Abs(rel)
		require.NoError(t, err)
		require.Equal(t, want, abs)
	}
}
