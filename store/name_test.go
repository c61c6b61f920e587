package store

import (
	"errors"
	"strings"
	"testing"
)

func TestParseScriptName(t *testing.T) {
	for _, ok := range []string{"roundcube", "Congés d'été", "vacances 2025", "a", strings.Repeat("é", MaxScriptNameBytes/2)} {
		n, err := ParseScriptName(ok)
		if err != nil {
			t.Errorf("ParseScriptName(%q): %v", ok, err)
			continue
		}
		if n.String() != ok || n.IsZero() {
			t.Errorf("ParseScriptName(%q) = %q (zero %v)", ok, n.String(), n.IsZero())
		}
	}
	for _, bad := range []string{
		"", ".", "..", ".hidden", "../etc/passwd", "a/b", `a\b`, "tab\there", "nul\x00", "line\nbreak",
		"del\x7f", "c1\u0085", "sep\u2028", "e\u0301", // decomposed é is not NFC
		"\xff", strings.Repeat("a", MaxScriptNameBytes+1),
	} {
		if n, err := ParseScriptName(bad); err == nil {
			t.Errorf("ParseScriptName(%q) = %q, want an error", bad, n.String())
		} else if !errors.Is(err, ErrScriptName) {
			t.Errorf("ParseScriptName(%q): error %v does not wrap ErrScriptName", bad, err)
		}
	}
	if !(ScriptName{}).IsZero() {
		t.Error("the zero ScriptName is not IsZero")
	}
}
