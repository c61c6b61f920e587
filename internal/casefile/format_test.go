package casefile

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const sample = `# Congés : copie au remplaçant
policy absence.rules
now  2025-07-15T09:30:00+02:00
to   claire.lemoine@medecin.mssante.fr

deliver messages/ordonnance.eml
from dr.martin@chu-nantes.mssante.fr
expect
    keep (implicit)
    copy to remplacant@medecin.mssante.fr  (rule "Congés")

# second message, no expectation yet
deliver messages/relance.eml
now 2025-07-16T10:00:00+02:00
from <>
`

func TestParse(t *testing.T) {
	f, err := Parse("a.case", []byte(sample))
	require.NoError(t, err)
	require.Equal(t, "absence.rules", f.Policy)
	require.Equal(t, []string{"Congés : copie au remplaçant"}, f.Title)
	require.Nil(t, f.Deliveries[0].Comment)
	require.Equal(t, []string{"second message, no expectation yet"}, f.Deliveries[1].Comment)
	require.Len(t, f.Deliveries, 2)
	d0, d1 := f.Deliveries[0], f.Deliveries[1]
	require.Equal(t, "messages/ordonnance.eml", d0.Message)
	require.Equal(t, 6, d0.Line)
	require.Equal(t, []string{"keep (implicit)", `copy to remplacant@medecin.mssante.fr  (rule "Congés")`}, d0.Expect)
	e0 := f.Effective(d0)
	require.Equal(t, "dr.martin@chu-nantes.mssante.fr", e0.From)
	require.Equal(t, "claire.lemoine@medecin.mssante.fr", e0.To)
	require.True(t, e0.Now.Equal(time.Date(2025, 7, 15, 7, 30, 0, 0, time.UTC)))
	require.Nil(t, d1.Expect)
	e1 := f.Effective(d1)
	require.Equal(t, NullSender, e1.From)
	require.True(t, e1.Now.Equal(time.Date(2025, 7, 16, 8, 0, 0, 0, time.UTC)))
}

func TestRewriteKeepsInputs(t *testing.T) {
	f, err := Parse("a.case", []byte(sample))
	require.NoError(t, err)
	out := f.Rewrite([][]string{{"keep (implicit)"}, {"discard  (rule \"X\")"}})
	want := `# Congés : copie au remplaçant
policy absence.rules
now  2025-07-15T09:30:00+02:00
to   claire.lemoine@medecin.mssante.fr

deliver messages/ordonnance.eml
from dr.martin@chu-nantes.mssante.fr
expect
    keep (implicit)

# second message, no expectation yet
deliver messages/relance.eml
now 2025-07-16T10:00:00+02:00
from <>
expect
    discard  (rule "X")
`
	require.Equal(t, want, string(out))
	// Rewriting is idempotent: the rewritten file parses to the same
	// expectations and rewrites to itself.
	g, err := Parse("a.case", out)
	require.NoError(t, err)
	require.Equal(t, []string{`discard  (rule "X")`}, g.Deliveries[1].Expect)
	require.Equal(t, string(out), string(g.Rewrite([][]string{{"keep (implicit)"}, {"discard  (rule \"X\")"}})))
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"", "a.case:1: no deliver line: a case delivers at least one message"},
		{"deliver m.eml\nbogus 1\n", `a.case:2: unknown keyword "bogus"; a case file has policy, now, from, to, deliver and expect lines`},
		{"expect\n", "a.case:1: expect before any deliver"},
		{"now tomorrow\ndeliver m.eml\n", `a.case:1: now "tomorrow" is not an RFC 3339 time; write e.g. 2025-07-15T09:30:00+02:00`},
		{"deliver m.eml\nexpect\n    keep\nfrom a@b.fr\n", "a.case:4: from after expect; start a new deliver"},
		{"deliver m.eml\npolicy p.rules\n", "a.case:2: policy must come before the first deliver"},
		{"  deliver m.eml\n", "a.case:1: unexpected indented line; only the lines of an expect block are indented"},
		{"deliver m.eml\nexpect\n    keep\nexpect\n", "a.case:4: a second expect block for the same delivery"},
	} {
		_, err := Parse("a.case", []byte(tc.src))
		require.EqualError(t, err, tc.want, "source %q", tc.src)
	}
}

func TestDiff(t *testing.T) {
	require.Empty(t, Diff([]string{"a", "b"}, []string{"a", "b"}))
	require.Equal(t, "  keep (implicit)\n- copy to a@medecin.mssante.fr\n+ copy to b@medecin.mssante.fr\n",
		Diff([]string{"keep (implicit)", "copy to a@medecin.mssante.fr"}, []string{"keep (implicit)", "copy to b@medecin.mssante.fr"}))
	require.Equal(t, "+ discard\n", Diff(nil, []string{"discard"}))
}

func TestExpectComments(t *testing.T) {
	f, err := Parse("a.case", []byte("now 2025-01-01T00:00:00Z\nfrom a@b.fr\ndeliver m.eml\nexpect\n    # pourquoi\n    keep (implicit)\n"))
	require.NoError(t, err)
	require.Equal(t, []string{"keep (implicit)"}, f.Deliveries[0].Expect)
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte("deliver m.eml\nexpect\n    keep\n"))
	f.Add([]byte("\uFEFFpolicy p.rules\r\nnow 2025-01-01T00:00:00Z\r\ndeliver m.eml\r\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := Parse("f.case", src)
		if err != nil {
			return
		}
		// Property: rewriting a file with its own expectations (nil ones
		// becoming empty blocks) gives a file that parses to the same
		// deliveries and expectations, and rewrites to itself.
		got := make([][]string, len(file.Deliveries))
		for i, d := range file.Deliveries {
			got[i] = d.Expect
			if got[i] == nil {
				got[i] = []string{}
			}
		}
		out := file.Rewrite(got)
		again, err := Parse("f.case", out)
		if err != nil {
			t.Fatalf("rewritten file does not parse: %v\n%s", err, out)
		}
		if len(again.Deliveries) != len(file.Deliveries) {
			t.Fatalf("deliveries: %d, then %d", len(file.Deliveries), len(again.Deliveries))
		}
		for i, d := range again.Deliveries {
			if d.Message != file.Deliveries[i].Message || !equal(d.Expect, got[i]) {
				t.Fatalf("delivery %d changed: %+v, then %+v", i, file.Deliveries[i], d)
			}
		}
		if string(again.Rewrite(got)) != string(out) {
			t.Fatalf("rewrite is not idempotent:\n%s", out)
		}
	})
}
