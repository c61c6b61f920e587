package engine

import (
	"math"
	"testing"

	"github.com/tamis-mss/tamis/rules"
)

// TestSpan checks that a span gives back the rules.Range it was made of,
// also beyond 32 bits.
func TestSpan(t *testing.T) {
	for _, r := range []rules.Range{
		{},
		{File: "cabinet.rules", Start: rules.Pos{Line: 3, Column: 5, Offset: 40}, End: rules.Pos{Line: 3, Column: 30, Offset: 65}},
		{File: "x.rules", Start: rules.Pos{Line: math.MaxInt32, Column: 1, Offset: math.MaxInt32}, End: rules.Pos{Line: math.MaxInt32, Column: 2, Offset: math.MaxInt32}},
		{File: "big.rules", Start: rules.Pos{Line: 1, Column: 1, Offset: math.MaxInt32 + 1}, End: rules.Pos{Line: 2, Column: 1, Offset: math.MaxInt32 + 9}},
		{File: "neg.rules", Start: rules.Pos{Line: -1, Column: math.MinInt32 - 1}},
	} {
		if got := spanOf(r).Range(); got != r {
			t.Errorf("spanOf(%#v).Range() = %#v", r, got)
		}
	}
}
