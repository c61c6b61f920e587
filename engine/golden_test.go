package engine

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/engine/vacation"
	"github.com/tamis-mss/tamis/parser"
)

var update = flag.Bool("update", false, "rewrite the expected.golden files of testdata (never the inputs)")

// TestGolden runs the cases of testdata/<case>/: policy.rules is compiled
// with the published trust list; deliveries.txt lists one delivery per
// line ("MESSAGE.eml ENVELOPE-FROM ENVELOPE-TO RFC3339-TIME", "-" for an
// empty sender), evaluated in order with one tracker; expected.golden holds
// the summary and the trace of each. -update rewrites expected.golden.
func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/*/policy.rules")
	require.NoError(t, err)
	require.NotEmpty(t, dirs)
	for _, path := range dirs {
		dir := filepath.Dir(path)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			got := runCase(t, dir)
			want := filepath.Join(dir, "expected.golden")
			if *update {
				require.NoError(t, os.WriteFile(want, []byte(got), 0o644))
				return
			}
			exp, err := os.ReadFile(want)
			require.NoError(t, err, "run with -update to create it")
			require.Equal(t, string(exp), got)
		})
	}
}

func runCase(t *testing.T, dir string) string {
	src, err := os.ReadFile(filepath.Join(dir, "policy.rules"))
	require.NoError(t, err)
	pol, diags := parser.Parse("policy.rules", src, parser.DefaultOptions())
	require.False(t, diags.HasErrors(), "%s", diags.Render(map[string][]byte{"policy.rules": src}))
	var b strings.Builder
	prog, cdiags := Compile(pol, Options{Trust: trust(t), Trace: true, Tracker: vacation.NewMemoryTracker(0)})
	// The same policy without trace (and so with the index, if any) must
	// give the same outcomes.
	fast, _ := Compile(pol, Options{Trust: trust(t), Tracker: vacation.NewMemoryTracker(0)})
	for _, d := range cdiags {
		fmt.Fprintf(&b, "compile: %s [%s]\n", d.Error(), d.Code)
	}
	if prog == nil {
		return b.String()
	}
	lines, err := os.ReadFile(filepath.Join(dir, "deliveries.txt"))
	require.NoError(t, err)
	for i, l := range strings.Split(strings.TrimSpace(string(lines)), "\n") {
		if l = strings.TrimSpace(l); l == "" || l[0] == '#' {
			continue
		}
		f := strings.Fields(l)
		require.Len(t, f, 4, "deliveries.txt line %d", i+1)
		raw, err := os.ReadFile(filepath.Join(dir, f[0]))
		require.NoError(t, err)
		m, err := message.Parse(raw, message.Options{})
		require.NoError(t, err)
		when, err := time.Parse(time.RFC3339, f[3])
		require.NoError(t, err)
		from := f[1]
		if from == "-" {
			from = ""
		}
		d := Delivery{Message: m, EnvelopeFrom: from, EnvelopeTo: f[2], Time: when}
		r := prog.Evaluate(context.Background(), d)
		require.Equal(t, r.Summary(), fast.Evaluate(context.Background(), d).Summary(), "without trace: %s", l)
		fmt.Fprintf(&b, "\n== %s\n%s", l, r.Summary())
		if r.Reply != nil {
			fmt.Fprintf(&b, "reply: from %q, subject %q, period %s\n", r.Reply.From, r.Reply.Subject, formatPeriod(r.Reply.Period))
		}
		fmt.Fprintf(&b, "-- trace\n%s", r.TraceString())
	}
	return b.String()
}
