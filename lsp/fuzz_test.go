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

// FuzzChangedLines checks the formatting edit: replacing the changed
// lines of old by those of new gives new, and the edit begins and ends at
// line boundaries.
func FuzzChangedLines(f *testing.F) {
	f.Add("a\nb\nc\n", "a\nB\nc\n")
	f.Add("rule \"r\" { keep }\n", "rule \"r\" {\n    keep\n}\n")
	f.Add("a\n\n\nb", "a\n\nb")
	f.Add("x\n", "x\n\n")
	f.Add("", "a\n")
	f.Fuzz(func(t *testing.T, old, new string) {
		start, oldEnd, newEnd := changedLines(old, new)
		if start > oldEnd || start > newEnd {
			t.Fatalf("range %d, %d, %d", start, oldEnd, newEnd)
		}
		if got := old[:start] + new[start:newEnd] + old[oldEnd:]; got != new {
			t.Fatalf("applied edit gives %q, want %q", got, new)
		}
		atLineStart := func(s string, i int) bool { return i == 0 || i == len(s) || s[i-1] == '\n' }
		if !atLineStart(old, start) || !atLineStart(old, oldEnd) {
			t.Fatalf("edit %d-%d of %q not at line starts", start, oldEnd, old)
		}
	})
}
