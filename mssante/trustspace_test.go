package mssante

import (
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTrustSpaceStartsWithFallback(t *testing.T) {
	ts := NewTrustSpace(nil)
	require.Same(t, FallbackList(), ts.List())
	require.False(t, ts.List().Verified())
	require.Same(t, FallbackList(), NewTrustSpace(&List{}).List())

	var zero TrustSpace
	require.Same(t, FallbackList(), zero.List())
	l, err := ParseList(strings.NewReader(smallList("cabinet.mssante.fr")))
	require.NoError(t, err)
	require.NoError(t, zero.Replace(l))
	require.Same(t, l, zero.List())
}

// TestRefreshRemovesDomains replays the daily refresh from the full
// 2025-03-13 list to the partial 2025-05-21 one: a target trusted before
// is refused after, and targets compiled earlier fail their run-time
// re-check.
func TestRefreshRemovesDomains(t *testing.T) {
	before, after := full(t), partial(t)
	ts := NewTrustSpace(before)

	removed := ""
	for _, d := range before.Domains() {
		if !after.Contains(d) && d != PatientDomain {
			removed = d
			break
		}
	}
	require.NotEmpty(t, removed, "the partial list removes domains")
	target, err := ts.List().Authorize("secretariat@" + removed)
	require.NoError(t, err)

	apicrypt, err := ts.List().Authorize("dr@" + ApicryptInteropDomain)
	require.NoError(t, err)
	require.False(t, after.Contains(ApicryptInteropDomain), "the partial list has no Apicrypt domain")

	require.NoError(t, ts.Replace(after))
	require.Same(t, after, ts.List())
	for _, tg := range []Target{target, apicrypt} {
		_, err = ts.List().Authorize(tg.String())
		var r *Refusal
		require.True(t, errors.As(err, &r), "%s is still authorised after the refresh", tg)
		require.Equal(t, CodeOutsideTrustSpace, r.Code)
		require.Equal(t, Outside, ts.List().Classify(tg.String()).Verdict)
	}
	// A domain that both lists have stays trusted.
	_, err = ts.List().Authorize("dr@UC-CMP.mssante.fr")
	require.NoError(t, err)
}

func TestReplaceKeepsTheGoodList(t *testing.T) {
	good := full(t)
	ts := NewTrustSpace(good)

	require.Error(t, ts.Replace(nil))
	require.ErrorIs(t, ts.Replace(&List{}), ErrEmptyList)
	require.ErrorIs(t, ts.Replace(FallbackList()), ErrDowngrade)
	require.ErrorContains(t, ts.Load(fullFile, partialSHA256), "checksum mismatch")
	require.Error(t, ts.Load(listDir+"/absent.xml", ""))
	_, err := ParseList(strings.NewReader(smallList()))
	require.ErrorIs(t, err, ErrEmptyList)
	require.Same(t, good, ts.List(), "every failed refresh keeps the list in force")

	require.NoError(t, ts.Load(partialFile, partialSHA256))
	require.Equal(t, 516, ts.List().Len()+len(ts.List().Rejected()))
}

// TestTrustSpaceConcurrentSwap runs readers against a writer that swaps
// lists; run it with -race. Every reader sees one whole list: a domain
// listed only in the full list is trusted exactly when the snapshot is the
// full list.
func TestTrustSpaceConcurrentSwap(t *testing.T) {
	a, b := full(t), partial(t)
	onlyA := ""
	for _, d := range a.Domains() {
		if !b.Contains(d) {
			onlyA = d
			break
		}
	}
	ts := NewTrustSpace(a)
	var stop, failed atomic.Bool
	var wg sync.WaitGroup
	var reads atomic.Int64
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				l := ts.List()
				_, err := l.Authorize("dr@" + onlyA)
				if (l == a) != (err == nil) {
					t.Errorf("snapshot %p answered %v for %s", l, err, onlyA)
					failed.Store(true)
					return
				}
				reads.Add(1)
			}
		}()
	}
	swaps := 0
	for i := 0; i < 2000 || (reads.Load() < 2000 && !failed.Load()); i++ {
		swaps++
		next := a
		if i%2 == 0 {
			next = b
		}
		require.NoError(t, ts.Replace(next))
	}
	stop.Store(true)
	wg.Wait()
	require.GreaterOrEqual(t, reads.Load(), int64(2000))
	require.GreaterOrEqual(t, swaps, 2000)
}
