package engine_test

import (
	"flag"
	"testing"

	"github.com/tamis-mss/tamis/internal/casetest"
)

var update = flag.Bool("update", false, "rewrite the expect, trace, diagnostics and pigeonhole blocks of testdata/*/*.case with the outcomes computed (never the inputs)")

// TestCases runs the engine's case corpus, testdata/<case>/<case>.case
// (docs/TESTS.md): every expectation, the same decision with and without a
// trace, and, for the cases with a sieve line, the same outcome as Dovecot
// Pigeonhole on the same policy written in Sieve, except where a
// pigeonhole block documents a deliberate difference.
func TestCases(t *testing.T) {
	casetest.Run(t, "testdata/*/*.case", casetest.Options{Update: *update, Min: 72})
}
