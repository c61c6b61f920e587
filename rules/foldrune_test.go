package rules

import "testing"

// TestFoldRuneTable checks the table of FoldRune against the computation
// it replaces, for every character it covers and a few beyond.
func TestFoldRuneTable(t *testing.T) {
	for r := range rune(foldTableSize + 0x100) {
		if got, want := FoldRune(r), foldRune(r); got != want {
			t.Fatalf("FoldRune(%U) = %U, want %U", r, got, want)
		}
	}
	for _, r := range []rune{0x1E9E, 0x212A, 0x2126, 0x10400, 0xFFFD} {
		if got, want := FoldRune(r), foldRune(r); got != want {
			t.Fatalf("FoldRune(%U) = %U, want %U", r, got, want)
		}
	}
}
