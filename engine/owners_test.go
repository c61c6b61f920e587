package engine_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/parser"
)

// TestOneOwnerPerCheck checks that the parser (syntax and forms) and
// Compile (meaning) never report the same thing: over every policy of the
// repository's corpora, no diagnostic of one repeats one of the other at
// the same place with the same code. This is what lets callers append the
// two lists (rules.Diagnostics.Merge is gone).
func TestOneOwnerPerCheck(t *testing.T) {
	var files []string
	for _, pattern := range []string{"testdata/*/*.rules", "../parser/testdata/*/*.rules", "../parser/testdata/*.rules",
		"../examples/*/*.rules", "../cmd/tamis/testdata/*.rules", "../sieve/testdata/*/*.rules"} {
		m, err := filepath.Glob(pattern)
		require.NoError(t, err)
		files = append(files, m...)
	}
	require.Greater(t, len(files), 50)
	for _, f := range files {
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		p, pd := parser.Parse(f, src, parser.DefaultOptions())
		_, cd := engine.Compile(context.Background(), p, engine.DefaultOptions())
		seen := map[string]bool{}
		for _, d := range pd {
			seen[fmt.Sprint(d.Range.File, d.Range.Start.Offset, d.Code)] = true
		}
		for _, d := range cd {
			require.False(t, seen[fmt.Sprint(d.Range.File, d.Range.Start.Offset, d.Code)],
				"%s: reported by the parser and by Compile: %s", f, d)
		}
	}
}
