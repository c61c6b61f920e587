package mssante

import (
	"bytes"
	"os"
	"runtime"
	"testing"
)

// BenchmarkListLoad parses the full 2025-03-13 list (6,554 entries) from
// memory, so the disk is not timed, and reports the heap the list retains.
func BenchmarkListLoad(b *testing.B) {
	data, err := os.ReadFile(fullFile)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("entries=6554", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		var l *List
		for b.Loop() {
			l, err = ParseList(bytes.NewReader(data))
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(retained(b, func() any {
			l, _ := ParseList(bytes.NewReader(data))
			return l
		})), "retained-B")
		_ = l
	})
}

// retained measures the live heap that the value built by f keeps.
func retained(b *testing.B, f func() any) uint64 {
	b.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := f()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(v)
	if after.HeapAlloc < before.HeapAlloc {
		return 0
	}
	return after.HeapAlloc - before.HeapAlloc
}

// BenchmarkLookup is the hot path: ASCII addresses against the full list.
func BenchmarkLookup(b *testing.B) {
	l := full(b)
	self := []string{"dr.martin@adsea29.mssante.fr"}
	b.Run("Contains/listed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !l.Contains("adsea29.mssante.fr") {
				b.Fatal("not listed")
			}
		}
	})
	b.Run("Contains/upper-case", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !l.Contains("UC-CMP.mssante.fr") {
				b.Fatal("not listed")
			}
		}
	})
	b.Run("Contains/absent", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if l.Contains("medecin.mssante.fr.evil.com") {
				b.Fatal("listed")
			}
		}
	})
	b.Run("ParseAddress", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ParseAddress("secretariat.cardiologie@adsea29.mssante.fr"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Authorize", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := l.Authorize("secretariat.cardiologie@adsea29.mssante.fr"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Authorize/recheck", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := l.Authorize("secretariat.cardiologie@adsea29.mssante.fr", self...); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Classify/trusted", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if c := l.Classify("secretariat.cardiologie@adsea29.mssante.fr"); c.Verdict != Trusted {
				b.Fatal(c.Reason)
			}
		}
	})
}

// BenchmarkSuggest is the refusal path, run at compile time only.
func BenchmarkSuggest(b *testing.B) {
	l := full(b)
	b.Run("typo", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if l.Suggest("zenidok.mssante.fr") == "" {
				b.Fatal("no suggestion")
			}
		}
	})
}
