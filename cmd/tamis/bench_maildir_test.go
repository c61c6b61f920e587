package main

import (
	"bytes"
	"fmt"
	"io"
	"net/mail"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tamis-mss/tamis/internal/testenv"
)

// maildirSize is the number of messages of the Maildir BenchmarkMaildir
// reads (issue 15).
const maildirSize = 5000

// cpuTime returns the CPU time (user and system) the process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkMaildir compares "tamis run" over a Maildir of 5,000 messages
// with the floor of reading the same files and parsing them with
// net/mail (os.ReadFile, mail.ReadMessage, the body read to its end). The
// machine is shared, so the figure to compare is cpu-ns/msg, the CPU time
// of the whole process (every goroutine and the garbage collector) per
// message, rather than the wall-clock ns/op.
func BenchmarkMaildir(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "Maildir")
	testenv.ExampleMaildir(b, dir, maildirSize)
	files, err := directoryMessages(dir)
	if err != nil || len(files) != maildirSize {
		b.Fatalf("%d files: %v", len(files), err)
	}
	measure := func(b *testing.B, batch func()) {
		b.ReportAllocs()
		runtime.GC()
		start := cpuTime(b)
		for b.Loop() {
			batch()
		}
		cpu := cpuTime(b) - start
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*maildirSize), "cpu-ns/msg")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*maildirSize), "ns/msg")
	}
	b.Run("floor=net-mail", func(b *testing.B) {
		measure(b, func() {
			for _, f := range files {
				raw, err := os.ReadFile(f)
				if err != nil {
					b.Fatal(err)
				}
				m, err := mail.ReadMessage(bytes.NewReader(raw))
				if err != nil {
					b.Fatalf("%s: %v", f, err)
				}
				if _, err := io.Copy(io.Discard, m.Body); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	for _, jobs := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run(fmt.Sprintf("run/jobs=%d", jobs), func(b *testing.B) {
			env := &cliEnv{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
			args := []string{"run", "--policy", "../../examples/cabinet-groupe/cabinet.rules", "--format", "json",
				"--now", "2025-11-10T11:21:00+01:00", "--jobs", fmt.Sprint(jobs), dir}
			measure(b, func() {
				if code := run(env, args); code != exitOK && code != exitFound {
					b.Fatalf("exit %d", code)
				}
			})
		})
	}
}
