package rules_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/rules"
)

func TestFoldRune(t *testing.T) {
	for _, tt := range []struct{ in, want rune }{
		{'A', 'a'}, {'a', 'a'}, {'É', 'é'}, {'é', 'é'}, {'Œ', 'œ'},
		{'\u212A', 'k'}, // Kelvin sign
		{'ſ', 's'},      // long s
		{'ß', 'ß'},      // simple folding only: no "ss"
		{'1', '1'}, {'@', '@'},
	} {
		require.Equal(t, string(tt.want), string(rules.FoldRune(tt.in)), "FoldRune(%q)", tt.in)
	}
}
