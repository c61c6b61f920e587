package sieve

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzSieveImport feeds arbitrary scripts to Import. Properties: it never
// panics, always returns a policy, positions every diagnostic inside the
// script, and when the import is clean and the export succeeds, the
// exported script imports again without error.
func FuzzSieveImport(f *testing.F) {
	for _, pattern := range []string{"testdata/import/*.sieve", "testdata/export/*.sieve"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			if src, err := os.ReadFile(file); err == nil {
				f.Add(src)
			}
		}
	}
	f.Add([]byte("if false # not\n{ keep; }\n"))
	f.Add([]byte("require \"vacation\"; vacation text:\r\n..\r\n.\r\n;"))
	f.Fuzz(func(t *testing.T, src []byte) {
		p, diags := Import("fuzz.sieve", src)
		if p == nil {
			t.Fatal("nil policy")
		}
		for _, d := range diags {
			if d.Range.Start.Offset < 0 || d.Range.Start.Offset > len(src) || d.Range.End.Offset > len(src) {
				t.Fatalf("diagnostic outside the script: %v (%d bytes)", d, len(src))
			}
		}
		if diags.HasErrors() {
			return
		}
		script, ediags := Export(p)
		if ediags.HasErrors() {
			return
		}
		if _, again := Import("again.sieve", script); again.HasErrors() {
			t.Fatalf("exported script does not import:\n%s\n%v", script, again)
		}
	})
}
