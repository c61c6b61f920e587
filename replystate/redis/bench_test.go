package redis_test

import (
	"context"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tamis-mss/tamis/engine/vacation"
	"github.com/tamis-mss/tamis/internal/redistest"
	"github.com/tamis-mss/tamis/replystate/bolt"
	replyredis "github.com/tamis-mss/tamis/replystate/redis"
)

// BenchmarkClaim compares, in the same run, the embedded default (bbolt,
// fsync per granted claim), the in-memory tracker, and Redis on the same
// machine with the append-only file synced every second (Redis's default)
// and at every write (as durable as bbolt). "granted" claims a new sender
// each time (a reply is recorded); "refused" claims the same key again (a
// read only); "parallel" is granted claims from GOMAXPROCS×4 goroutines,
// the claims per second a node gets under load.
func BenchmarkClaim(b *testing.B) {
	trackers := []struct {
		name string
		open func(b *testing.B) vacation.Tracker
	}{
		{"memory", func(b *testing.B) vacation.Tracker { return vacation.NewMemoryTracker(0) }},
		{"bolt", func(b *testing.B) vacation.Tracker {
			t, err := bolt.Open(filepath.Join(b.TempDir(), "replies.db"), bolt.Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { t.Close() })
			return t
		}},
		{"redis-everysec", func(b *testing.B) vacation.Tracker {
			return replyredis.New(redistest.Start(b, redistest.Options{AppendFsync: "everysec"}).Client(), replyredis.Options{})
		}},
		{"redis-always", func(b *testing.B) vacation.Tracker {
			return replyredis.New(redistest.Start(b, redistest.Options{AppendFsync: "always"}).Client(), replyredis.Options{})
		}},
	}
	ctx := context.Background()
	now := time.Date(2025, 12, 22, 9, 0, 0, 0, time.UTC)
	for _, tr := range trackers {
		b.Run(tr.name+"/granted", func(b *testing.B) {
			t := tr.open(b)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				k := vacation.Key{Mailbox: "cabinet@medecin.mssante.fr", Sender: "s" + strconv.Itoa(i) + "@chu.mssante.fr", Response: "r"}
				if ok, err := t.Claim(ctx, k, now, 24*time.Hour); !ok || err != nil {
					b.Fatal(ok, err)
				}
			}
		})
		b.Run(tr.name+"/refused", func(b *testing.B) {
			t := tr.open(b)
			k := vacation.Key{Mailbox: "cabinet@medecin.mssante.fr", Sender: "dr.martin@chu.mssante.fr", Response: "r"}
			if _, err := t.Claim(ctx, k, now, 24*time.Hour); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if ok, err := t.Claim(ctx, k, now, 24*time.Hour); ok || err != nil {
					b.Fatal(ok, err)
				}
			}
		})
		b.Run(tr.name+"/parallel", func(b *testing.B) {
			t := tr.open(b)
			var n atomic.Int64
			b.ReportAllocs()
			b.SetParallelism(4)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					k := vacation.Key{Mailbox: "cabinet@medecin.mssante.fr", Sender: "s" + strconv.FormatInt(n.Add(1), 10) + "@chu.mssante.fr", Response: "r"}
					if ok, err := t.Claim(ctx, k, now, 24*time.Hour); !ok || err != nil {
						b.Fatal(ok, err)
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "claims/s")
		})
	}
}
