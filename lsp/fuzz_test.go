package lsp

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzCursor checks that the scan of the text before the cursor, the
// keyword candidates and hover never panic, whatever the text and the
// offset, and that offsets and protocol positions convert back and forth.
// The example policies are the seeds.
func FuzzCursor(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "examples", "*", "*.rules"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b), uint(len(b)/2))
		}
	}
	f.Add("rule \"r\" {\n    when all {\n        from is \"a", uint(30))
	f.Add("reply \"\"\"\n x", uint(12))
	f.Fuzz(func(t *testing.T, s string, off uint) {
		o := int(off % uint(len(s)+1))
		c := scanTo(s, o)
		for _, cand := range candidates(c) {
			if cand.from > o || cand.insert == "" {
				t.Fatalf("candidate %+v at %d", cand, o)
			}
		}
		keywordUnder(s, o)
		if o < len(s) && !utf8.RuneStart(s[o]) {
			return // positions are only taken at character boundaries
		}
		tx := newText(s)
		p := tx.position(o)
		if back := tx.offset(p); back != o && (utf8.ValidString(s) || back > o) || tx.position(back) != p {
			t.Fatalf("offset %d → %+v → %d", o, p, back)
		}
	})
}
