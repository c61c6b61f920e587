package oracle

import (
	"context"
	"testing"
	"time"
)

// BenchmarkRun times one report run of sieve-test with a pinned clock, and
// one with -execute for the absence-reply decision (two sieve-test runs).
func BenchmarkRun(b *testing.B) {
	RequireAvailable(b)
	for _, execute := range []bool{false, true} {
		name := "report"
		if execute {
			name = "execute"
		}
		b.Run(name, func(b *testing.B) {
			r := Request{Script: readTestdata(b, "vacation.sieve"), Message: readTestdata(b, "plain.eml"), Now: captureNow,
				From: "x@medecin.mssante.fr", Rcpt: "me@medecin.mssante.fr", Execute: execute}
			b.ReportAllocs()
			for b.Loop() {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				if _, err := Run(ctx, r); err != nil {
					b.Fatal(err)
				}
				cancel()
			}
		})
	}
}
