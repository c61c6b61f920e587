package casefile

import (
	"strings"
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
	out := f.Rewrite(expectOnly([]string{"keep (implicit)"}, []string{"discard  (rule \"X\")"}))
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
	require.Equal(t, string(out), string(g.Rewrite(expectOnly([]string{"keep (implicit)"}, []string{"discard  (rule \"X\")"}))))
}

// expectOnly is an Update that writes the expect blocks only.
func expectOnly(got ...[]string) Update {
	var u Update
	for _, g := range got {
		u.Deliveries = append(u.Deliveries, Recorded{Expect: g})
	}
	return u
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"", "a.case:1: no deliver line: a case delivers at least one message"},
		{"deliver m.eml\nbogus 1\n", `a.case:2: unknown keyword "bogus"; a case file has policy, trust, sieve, diagnostics, now, from, to, deliver, expect, trace and pigeonhole lines`},
		{"expect\n", "a.case:1: expect before any deliver"},
		{"trace\n", "a.case:1: trace before any deliver"},
		{"now tomorrow\ndeliver m.eml\n", `a.case:1: now "tomorrow" is not an RFC 3339 time; write e.g. 2025-07-15T09:30:00+02:00`},
		{"deliver m.eml\nexpect\n    keep\nfrom a@b.fr\n", "a.case:4: from after a block; the inputs of a delivery come before its blocks, or start a new deliver"},
		{"deliver m.eml\npolicy p.rules\n", "a.case:2: policy must come before the first deliver"},
		{"deliver m.eml\nsieve p.sieve\n", "a.case:2: sieve must come before the first deliver"},
		{"policy a.rules\npolicy b.rules\ndeliver m.eml\n", "a.case:2: a second policy line; a case file tests one policy"},
		{"trust a.xml\ntrust b.xml\ndeliver m.eml\n", "a.case:2: a second trust line in the same block"},
		{"  deliver m.eml\n", "a.case:1: unexpected indented line; only the lines of a block (expect, trace, pigeonhole, diagnostics) are indented"},
		{"deliver m.eml\nexpect\n    keep\nexpect\n", "a.case:4: a second expect block for the same delivery"},
		{"deliver m.eml\ntrace\ntrace\n", "a.case:3: a second trace block for the same delivery"},
		{"deliver m.eml\nexpect keep\n", "a.case:2: expect takes no value; write the lines on the indented lines below"},
		{"deliver m.eml\ndiagnostics\n", "a.case:2: diagnostics must come before the first deliver: it holds the policy's diagnostics"},
		{"sieve s.sieve\ndeliver m.eml\npigeonhole\n", "a.case:3: pigeonhole needs the reason of the difference: pigeonhole WHY, then Pigeonhole's outcome on the indented lines below"},
		{"deliver m.eml\npigeonhole why\n    keep\n", "a.case:2: pigeonhole block in a case without a sieve line: nothing is run through Pigeonhole"},
	} {
		_, err := Parse("a.case", []byte(tc.src))
		require.EqualError(t, err, tc.want, "source %q", tc.src)
	}
}

const differential = `# Refresh of the list between compiling and evaluating.
trust  ../listes/2025-03-13.xml
sieve  script.sieve
from   dr.dupont@medecin.mssante.fr
to     cabinet.lilas@medecin.mssante.fr
now    2025-01-07T10:00:00Z

diagnostics
    policy.rules:4:5: warning: something [code]

deliver message.eml
trust   ../listes/2025-05-21.xml
expect
    refused copy to "s@esantepdl.mssante.fr": outside-trust-space  (rule "Copie")
    keep (implicit)
pigeonhole the trust list is checked again at evaluation  # DESIGN §5
    redirect "s@esantepdl.mssante.fr" :copy
    implicit keep

deliver message.eml
trace
`

func TestParseDifferential(t *testing.T) {
	f, err := Parse("d.case", []byte(differential))
	require.NoError(t, err)
	require.Equal(t, "../listes/2025-03-13.xml", f.Trust)
	require.Equal(t, "script.sieve", f.Sieve)
	require.Equal(t, []string{"policy.rules:4:5: warning: something [code]"}, f.Diagnostics)
	d0, d1 := f.Deliveries[0], f.Deliveries[1]
	require.Equal(t, "../listes/2025-05-21.xml", d0.Trust)
	require.Equal(t, &Difference{Reason: "the trust list is checked again at evaluation  # DESIGN §5",
		Lines: []string{`redirect "s@esantepdl.mssante.fr" :copy`, "implicit keep"}}, d0.Pigeonhole)
	require.Nil(t, d0.Trace)
	require.Empty(t, d1.Trust)
	require.Nil(t, d1.Expect)
	require.Equal(t, []string{}, d1.Trace, "an empty trace block asks for the trace")
	require.Nil(t, d1.Pigeonhole)
}

func TestRewriteBlocks(t *testing.T) {
	f, err := Parse("d.case", []byte(differential))
	require.NoError(t, err)
	out := f.Rewrite(Update{
		Diagnostics: []string{},
		Deliveries: []Recorded{
			{Expect: []string{"keep (implicit)"}, Trace: []string{"ignored: no trace block"}, Pigeonhole: []string{"keep"}},
			{Expect: []string{"discard"}, Trace: []string{`rule "X" at policy.rules:3:1: matched`}, Pigeonhole: []string{"ignored: no pigeonhole block"}},
		},
	})
	want := strings.Replace(differential, "diagnostics\n    policy.rules:4:5: warning: something [code]\n", "diagnostics\n", 1)
	want = strings.Replace(want, `expect
    refused copy to "s@esantepdl.mssante.fr": outside-trust-space  (rule "Copie")
    keep (implicit)
pigeonhole the trust list is checked again at evaluation  # DESIGN §5
    redirect "s@esantepdl.mssante.fr" :copy
    implicit keep
`, `expect
    keep (implicit)
pigeonhole the trust list is checked again at evaluation  # DESIGN §5
    keep
`, 1)
	want = strings.Replace(want, "deliver message.eml\ntrace\n", "deliver message.eml\nexpect\n    discard\ntrace\n    rule \"X\" at policy.rules:3:1: matched\n", 1)
	require.Equal(t, want, string(out))
	g, err := Parse("d.case", out)
	require.NoError(t, err)
	require.Equal(t, []string{}, g.Diagnostics)
	require.Equal(t, []string{"keep"}, g.Deliveries[0].Pigeonhole.Lines)
	require.Equal(t, []string{`rule "X" at policy.rules:3:1: matched`}, g.Deliveries[1].Trace)
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
	f.Add([]byte(differential))
	f.Add([]byte("deliver m.eml\nexpect\n    keep\n"))
	f.Add([]byte("\uFEFFpolicy p.rules\r\nnow 2025-01-01T00:00:00Z\r\ndeliver m.eml\r\ntrace\r\n    rule \"x\": matched\r\n        cond: true\r\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := Parse("f.case", src)
		if err != nil {
			return
		}
		// Property: rewriting a file with its own blocks (a missing expect
		// block becoming an empty one) gives a file that parses to the same
		// deliveries and blocks, and rewrites to itself.
		u := Update{Diagnostics: file.Diagnostics}
		for _, d := range file.Deliveries {
			r := Recorded{Expect: d.Expect, Trace: d.Trace}
			if r.Expect == nil {
				r.Expect = []string{}
			}
			if d.Pigeonhole != nil {
				r.Pigeonhole = d.Pigeonhole.Lines
			}
			u.Deliveries = append(u.Deliveries, r)
		}
		out := file.Rewrite(u)
		again, err := Parse("f.case", out)
		if err != nil {
			t.Fatalf("rewritten file does not parse: %v\n%s", err, out)
		}
		if len(again.Deliveries) != len(file.Deliveries) || !equal(again.Diagnostics, file.Diagnostics) {
			t.Fatalf("deliveries or diagnostics changed:\n%s", out)
		}
		for i, d := range again.Deliveries {
			r := u.Deliveries[i]
			if d.Message != file.Deliveries[i].Message || !equal(d.Expect, r.Expect) || !equal(d.Trace, r.Trace) ||
				(d.Pigeonhole == nil) != (r.Pigeonhole == nil) || d.Pigeonhole != nil && !equal(d.Pigeonhole.Lines, r.Pigeonhole) {
				t.Fatalf("delivery %d changed: %+v, then %+v", i, file.Deliveries[i], d)
			}
		}
		if string(again.Rewrite(u)) != string(out) {
			t.Fatalf("rewrite is not idempotent:\n%s", out)
		}
	})
}
