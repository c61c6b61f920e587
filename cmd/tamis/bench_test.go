package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// BenchmarkRunMaildir times "tamis run --format json" on a Maildir of 200
// messages (read, parsed, evaluated and printed), with one worker and with
// one per CPU. ns/op is per batch; msgs/s is reported.
func BenchmarkRunMaildir(b *testing.B) {
	dir := b.TempDir()
	for i := range 200 {
		sender := "a.martin@medecin.mssante.fr"
		if i%3 == 0 {
			sender = "179063155504283@patient.mssante.fr"
		}
		body := strings.Repeat("Ligne de texte du message, avec des accents : é, è, à.\n", 40)
		writeFileB(b, filepath.Join(dir, "Maildir", "cur", fmt.Sprintf("%04d.eml", i)),
			fmt.Sprintf("From: %s\nTo: pharmacie.halles@pharmacien.mssante.fr\nSubject: =?UTF-8?Q?Ordonnance_n=C2=B0%d?=\nMessage-ID: <%d@x>\n\n%s", sender, i, i, body))
	}
	for _, jobs := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run(fmt.Sprintf("jobs=%d", jobs), func(b *testing.B) {
			env := &cliEnv{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
			args := []string{"run", "--policy", pharmacyPolicy, "--format", "json", "--now", "2025-11-10T11:21:00+01:00",
				"--jobs", fmt.Sprint(jobs), filepath.Join(dir, "Maildir")}
			b.ReportAllocs()
			for b.Loop() {
				if code := run(env, args); code != exitOK {
					b.Fatalf("exit %d", code)
				}
			}
			b.ReportMetric(float64(200*b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}

func writeFileB(b *testing.B, path, content string) {
	b.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		b.Fatal(err)
	}
}
