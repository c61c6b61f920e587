package rules_test

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/rules"
)

func TestRenderCaret(t *testing.T) {
	src := []byte("rule \"x\" {\n\tcopie to \"é\"\n}\n")
	d := rules.Diagnostic{
		Code: rules.CodeUnknownKeyword, Message: `unknown keyword "copie"`, Hint: `did you mean "copy to"?`,
		Range: rules.Range{File: "t.rules", Start: rules.Pos{Line: 2, Column: 2, Offset: 12}, End: rules.Pos{Line: 2, Column: 7, Offset: 17}},
	}
	require.Equal(t, "t.rules:2:2: error: unknown keyword \"copie\" [unknown-keyword]\n"+
		"    \tcopie to \"é\"\n"+
		"    \t^^^^^\n"+
		"    hint: did you mean \"copy to\"?\n", d.Render(src))
	require.Equal(t, `t.rules:2:2: error: unknown keyword "copie"`, d.Error())
	// Without the source, only the message and the hint.
	require.Equal(t, "t.rules:2:2: error: unknown keyword \"copie\" [unknown-keyword]\n    hint: did you mean \"copy to\"?\n", d.Render(nil))
}

func TestDiagnosticsSortAndCap(t *testing.T) {
	mk := func(off int, msg string) rules.Diagnostic {
		return rules.Diagnostic{Message: msg, Range: rules.Range{File: "f", Start: rules.Pos{Line: 1, Column: off + 1, Offset: off}}}
	}
	ds := rules.Diagnostics{mk(5, "c"), mk(1, "a"), mk(5, "d"), mk(3, "b")}
	ds.Sort()
	var got []string
	for _, d := range ds {
		got = append(got, d.Message)
	}
	require.Equal(t, []string{"a", "b", "c", "d"}, got)
	capped := ds.Capped(2)
	require.Len(t, capped, 2)
	require.Equal(t, rules.CodeTooManyErrors, capped[1].Code)
	require.Equal(t, "too many diagnostics: 3 more not shown", capped[1].Message)
	require.Equal(t, ds, ds.Capped(0))
	require.True(t, ds.HasErrors())
	require.Error(t, ds.Errors())
	require.NoError(t, rules.Diagnostics{{Severity: rules.Warning}}.Errors())
}

func TestCappedWarningsStayWarnings(t *testing.T) {
	w := rules.Diagnostic{Severity: rules.Warning, Code: rules.CodeUnreachable, Message: "w"}
	ds := rules.Diagnostics{w, w, w}
	capped := ds.Capped(2)
	require.Len(t, capped, 2)
	require.Equal(t, rules.Warning, capped[1].Severity, "cutting warnings must not create an error")
	require.False(t, capped.HasErrors())

	// An error among the dropped ones keeps the note an error.
	mixed := rules.Diagnostics{w, w, {Severity: rules.Error, Message: "e"}}
	require.True(t, mixed.Capped(2).HasErrors())
}

func TestMergeDropsRepeats(t *testing.T) {
	at := func(off int) rules.Range {
		return rules.Range{File: "f", Start: rules.Pos{Line: 1, Column: off + 1, Offset: off}}
	}
	parsed := rules.Diagnostics{{Code: rules.CodeRejectConflict, Message: "from the parser", Range: at(4)}}
	compiled := rules.Diagnostics{
		{Code: rules.CodeRejectConflict, Message: "from the engine", Range: at(4)}, // same place, same code: dropped
		{Code: rules.CodeOutsideTrustSpace, Message: "outside", Range: at(4)},      // other code: kept
		{Code: rules.CodeRejectConflict, Message: "elsewhere", Range: at(9)},       // other place: kept
	}
	got := parsed.Merge(compiled)
	require.Equal(t, []string{"from the parser", "outside", "elsewhere"}, []string{got[0].Message, got[1].Message, got[2].Message})
	require.Len(t, got, 3)
	require.Len(t, parsed, 1, "Merge must not modify its receiver")
}

// TestRenderEscapesControls checks that a policy line holding terminal
// escape sequences or bidirectional overrides is shown, not obeyed, with
// the caret still under the range.
func TestRenderEscapesControls(t *testing.T) {
	src := []byte("rule \"\x1b[2J\x1b]0;pwned\x07\u202e\" {\n")
	d := rules.Diagnostic{Severity: rules.Error, Code: rules.CodeInvalidValue, Message: "bad \x1b[31mname",
		Hint: "rename \u009b\x9b", Range: rules.Range{File: "t.rules", Start: rules.Pos{Line: 1, Column: 6, Offset: 5}, End: rules.Pos{Line: 1, Column: 20, Offset: 22}}}
	got := d.Render(src)
	for _, c := range []string{"\x1b", "\x07", "\u202e", "\u009b"} {
		require.NotContains(t, got, c)
	}
	require.True(t, utf8.ValidString(got), "a lone 0x9b byte is CSI to some terminals")
	require.Equal(t, "t.rules:1:6: error: bad ␛[31mname [invalid-value]\n"+
		"    rule \"␛[2J␛]0;pwned␇\uFFFD\" {\n"+
		"         ^^^^^^^^^^^^^^\n"+
		"    hint: rename \uFFFD\uFFFD\n", got)
}
