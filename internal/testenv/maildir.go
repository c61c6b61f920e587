package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// ExampleMaildir writes at dir a Maildir of n messages taken in turn from
// the examples' messages (real-looking MSSanté messages: plain, Latin-1,
// PDF attachments, DSNs, read receipts, mailing lists), with Maildir file
// names, for the benchmarks that read a Maildir.
func ExampleMaildir(tb testing.TB, dir string, n int) {
	tb.Helper()
	srcs, err := filepath.Glob(filepath.Join(Root(tb), "examples", "*", "messages", "*.eml"))
	if err != nil || len(srcs) == 0 {
		tb.Fatalf("testenv: no example messages: %v", err)
	}
	slices.Sort(srcs)
	raws := make([][]byte, len(srcs))
	for i, s := range srcs {
		if raws[i], err = os.ReadFile(s); err != nil {
			tb.Fatal(err)
		}
	}
	for _, sub := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	for i := range n {
		name := filepath.Join(dir, "cur", fmt.Sprintf("%d.M%dP%d.tamis:2,S", 1733390000+i, i, 4242))
		if err := os.WriteFile(name, raws[i%len(raws)], 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}
