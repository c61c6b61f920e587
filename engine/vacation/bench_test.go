package vacation

import (
	"context"
	"fmt"
	"testing"

	"github.com/tamis-mss/tamis/engine/message"
)

func BenchmarkCheck(b *testing.B) {
	m, err := message.Parse([]byte(rawClean), message.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if Check(m, sender, own, trustedTest) != nil {
			b.Fatal("suppressed")
		}
	}
}

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

func BenchmarkBuild(b *testing.B) {
	for _, tt := range []struct{ name, subject string }{
		{"ascii", "Absence du cabinet"},
		{"french", "Auto: Résultats d'analyses de Mme Dupont, prélèvement du 12/12"},
	} {
		b.Run(tt.name, func(b *testing.B) {
			r := testReply()
			r.Subject = tt.subject
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Build(r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
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
