package parser

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// generated returns a policy of n rules cycling through typical forms.
func generated(n int) []byte {
	var b strings.Builder
	b.WriteString("mailbox \"cabinet@medecin.mssante.fr\"\ntimezone \"Europe/Paris\"\n\n")
	for i := range n {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "rule \"Règle %d\" {\n    when from is \"dr.%d@chu-nantes.mssante.fr\"\n    copy to \"secretariat@medecin.mssante.fr\"\n}\n\n", i, i)
		case 1:
			fmt.Fprintf(&b, "rule \"Règle %d\" {\n    when all {\n        subject contains any [\"ordonnance\", \"résultats %d\"]\n        not sender is patient\n    }\n    file into \"INBOX/Dossier %d\"\n    stop\n}\n\n", i, i, i)
		case 2:
			fmt.Fprintf(&b, "rule \"Règle %d\" disabled {\n    when size over %dM\n    reject \"Message trop volumineux.\"\n}\n\n", i, i%50+1)
		case 3:
			fmt.Fprintf(&b, "rule \"Règle %d\" {\n    when any { header \"X-MSS-MES\" is \"FIN\"; during mon-fri 19:00-08:00, sat+sun 00:00-24:00 }\n    flag [\"\\\\Flagged\", \"$Urgent\"]\n}\n\n", i)
		}
	}
	return []byte(b.String())
}

func BenchmarkParse(b *testing.B) {
	typical, err := os.ReadFile("testdata/valid/typical.rules")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("typical", func(b *testing.B) { benchParse(b, typical) })
	// The mistakes of every invalid case, each reported with what the
	// grammar expects: the recovery path.
	invalid, err := filepath.Glob("testdata/invalid/*.rules")
	if err != nil || len(invalid) == 0 {
		b.Fatal("no invalid cases", err)
	}
	b.Run("invalid", func(b *testing.B) {
		var srcs [][]byte
		for _, path := range invalid {
			src, err := os.ReadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			srcs = append(srcs, src)
		}
		b.ReportAllocs()
		for b.Loop() {
			for _, src := range srcs {
				if _, diags := Parse("bench.rules", src, DefaultOptions()); len(diags) == 0 {
					b.Fatal("no diagnostics")
				}
			}
		}
	})
	for _, n := range []int{1000, 10000, 100000} {
		src := generated(n)
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) { benchParse(b, src) })
	}
}

func benchParse(b *testing.B, src []byte) {
	opts := DefaultOptions()
	opts.MaxFileSize, opts.MaxStatements = 0, 0
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	cpu := cpuTime()
	for b.Loop() {
		if _, diags := Parse("bench.rules", src, opts); len(diags) > 0 {
			b.Fatal(diags)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the CPU time the process has used, in nanoseconds, the
// garbage collector's included: on a machine shared with other work, ns/op
// measures the contention as much as the parser, cpu-ns/op much less.
func cpuTime() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func BenchmarkFormat(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		p, diags := Parse("bench.rules", generated(n), Options{})
		if len(diags) > 0 {
			b.Fatal(diags)
		}
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Format(p)
			}
		})
	}
}
