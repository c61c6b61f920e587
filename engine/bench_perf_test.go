package engine

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/tamis-mss/tamis/rules"
)

// BenchmarkSubjectContains evaluates 1,000 rules "subject contains KEY"
// (case-insensitive, none matching) on a message whose subject is ASCII
// and on one whose subject is not. Issue 15 asks for the non-ASCII case
// within 1.2× of the ASCII one.
func BenchmarkSubjectContains(b *testing.B) {
	stmts := make([]rules.Statement, 0, 1000)
	for i := range 1000 {
		key := fmt.Sprintf("dossier %d", i)
		if i%2 == 1 {
			key = fmt.Sprintf("résultat n°%d", i)
		}
		stmts = append(stmts, rule(fmt.Sprint("r", i), subjectHas(key), fileInto(fmt.Sprint("INBOX/", i))))
	}
	p := compile(b, policy(stmts...), Options{})
	for _, c := range []struct{ name, subject string }{
		{"ascii", "Compte rendu de consultation de Mme Bernard, suivi cardiologique"},
		{"non-ascii", "Compte rendu de consultation de Mme Bérénice, suivi cardiologique"},
	} {
		d := deliver(simpleMsg(b, "dr.dupont@chu-nantes.mssante.fr", c.subject))
		if r := eval(p, d); !r.ImplicitKeep || len(r.Actions) != 0 || len(r.Errors) != 0 {
			b.Fatalf("not the keep path:\n%s", r)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p.Evaluate(context.Background(), d)
			}
		})
	}
}

// BenchmarkProgramMemory reports the heap a compiled program of n "from
// is" rules keeps, per rule (B/rule), net of the policy it was compiled
// from. Issue 15 asks for at most 400 B per rule.
func BenchmarkProgramMemory(b *testing.B) {
	ts := trust(b)
	for _, n := range []int{1000, 10000} {
		pol := fromRules(n)
		b.Run(fmt.Sprint("rules=", n), func(b *testing.B) {
			var total uint64
			for b.Loop() {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				p, _ := Compile(pol, Options{Trust: ts})
				runtime.GC()
				runtime.ReadMemStats(&after)
				if p == nil {
					b.Fatal("no program")
				}
				total += after.HeapAlloc - before.HeapAlloc
				runtime.KeepAlive(p)
			}
			b.ReportMetric(float64(total)/float64(b.N*n), "B/rule")
		})
	}
}
