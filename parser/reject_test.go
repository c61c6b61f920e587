package parser_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/parser"
	"github.com/tamis-mss/tamis/rules"
)

// TestRejectConflictsAreCompiles checks that the conflicts of reject with
// keep, file into and a reply, which the parser no longer reports (one
// owner per rule: the parser for syntax, Compile for meaning), are still
// reported by engine.Compile, with the same code at the same places as the
// parser reported them.
func TestRejectConflictsAreCompiles(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "compile", "reject.rules"))
	require.NoError(t, err)
	p, diags := parser.Parse("reject.rules", src, parser.DefaultOptions())
	require.Empty(t, diags)
	_, diags = engine.Compile(context.Background(), p, engine.Options{})
	var got []rules.Pos
	for _, d := range diags {
		if d.Code == rules.CodeRejectConflict {
			got = append(got, d.Range.Start)
		}
	}
	// keep, file into and reply after a reject in a rule; reject in an
	// absence block (lines 3, 4, 5 and 10, column 5).
	require.Equal(t, []rules.Pos{{Line: 3, Column: 5, Offset: 46}, {Line: 4, Column: 5, Offset: 55}, {Line: 5, Column: 5, Offset: 79},
		{Line: 10, Column: 5, Offset: 160}}, got, "%s", diags.Render(map[string][]byte{"reject.rules": src}))
}
