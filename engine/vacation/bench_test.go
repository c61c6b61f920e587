package vacation

import (
	"context"
	"fmt"
	"runtime"
	"testing"
)

func BenchmarkMemoryTrackerClaim(b *testing.B) {
	ctx := context.Background()
	b.Run("same-key", func(b *testing.B) {
		tr := NewMemoryTracker(0)
		k := key(sender)
		b.ReportAllocs()
		for b.Loop() {
			tr.Claim(ctx, k, t0, week)
		}
	})
	b.Run("new-keys-evicting", func(b *testing.B) {
		tr := NewMemoryTracker(0)
		keys := make([]Key, 4096)
		for i := range keys {
			keys[i] = key(fmt.Sprintf("s%d@chu-nantes.mssante.fr", i))
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			tr.Claim(ctx, keys[i%len(keys)], t0, week)
			i++
		}
	})
	b.Run("many-mailboxes-total-bound", func(b *testing.B) {
		// 100,000 mailboxes, one sender each, over a total bound of 10,000:
		// every claim is new and drops the globally oldest reply.
		tr := NewMemoryTrackerWith(MemoryTrackerOptions{MaxTotal: 10_000})
		keys := make([]Key, 100_000)
		for i := range keys {
			keys[i] = Key{Mailbox: fmt.Sprintf("box%d@esantepdl.mssante.fr", i), Sender: sender, Response: "r"}
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			tr.Claim(ctx, keys[i%len(keys)], t0, week)
			i++
		}
	})
	b.Run("parallel", func(b *testing.B) {
		tr := NewMemoryTracker(0)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			k := key(sender)
			for pb.Next() {
				tr.Claim(ctx, k, t0, week)
			}
		})
	})
}

func BenchmarkFileTrackerClaim(b *testing.B) {
	tr, err := OpenFileTracker(b.TempDir() + "/state.json")
	if err != nil {
		b.Fatal(err)
	}
	defer tr.Close()
	ctx := context.Background()
	if _, err := tr.Claim(ctx, key(sender), t0, week); err != nil {
		b.Fatal(err)
	}
	b.Run("refused", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			tr.Claim(ctx, key(sender), t0, week)
		}
	})
}

// BenchmarkMemoryTrackerMemory measures the heap a MemoryTracker holds per
// remembered reply (B/entry), with realistic addresses and a content-hash
// response, over 1,000 mailboxes of 100 senders each.
func BenchmarkMemoryTrackerMemory(b *testing.B) {
	const boxes, senders = 1000, 100
	keys := make([]Key, 0, boxes*senders)
	response := responseID("", "Le cabinet est fermé du 22 au 26 décembre.", "", "")
	for i := range boxes {
		for j := range senders {
			keys = append(keys, Key{
				Mailbox:  fmt.Sprintf("cabinet.%04d@esantepdl.mssante.fr", i),
				Sender:   fmt.Sprintf("dr.martin.%03d@chu-nantes.mssante.fr", j),
				Response: response,
			})
		}
	}
	ctx := context.Background()
	var perEntry float64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		tr := NewMemoryTracker(0)
		for _, k := range keys {
			tr.Claim(ctx, k, t0, week)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		perEntry = float64(after.HeapAlloc-before.HeapAlloc) / float64(len(keys))
		runtime.KeepAlive(tr)
	}
	b.ReportMetric(perEntry, "B/entry")
}
