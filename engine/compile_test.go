package engine

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/rules"
)

func codes(ds rules.Diagnostics) []rules.Code {
	var out []rules.Code
	for _, d := range ds {
		out = append(out, d.Code)
	}
	return out
}

func TestCompileDiagnostics(t *testing.T) {
	t.Run("unknown timezone", func(t *testing.T) {
		pol := policy()
		z := lit("Europe/Pariss")
		pol.Timezone = &z
		prog, diags := Compile(context.Background(), pol, Options{Trust: trust(t)})
		require.Nil(t, prog)
		require.Equal(t, []rules.Code{rules.CodeUnknownTimezone}, codes(diags))
		require.Equal(t, z.Range, diags[0].Range)
	})
	t.Run("invalid regex", func(t *testing.T) {
		key := lit("urgent(")
		cond := &rules.HeaderTest{Node: pos(), Names: rules.Lits("Subject"), Match: rules.Match{Kind: rules.Regex, Keys: []rules.Literal{key}}}
		prog, diags := Compile(context.Background(), policy(rule("r", cond, discard())), Options{Trust: trust(t)})
		require.Nil(t, prog)
		require.Equal(t, []rules.Code{rules.CodeInvalidRegex}, codes(diags))
		require.Equal(t, key.Range, diags[0].Range)
	})
	t.Run("reject conflicts in one rule", func(t *testing.T) {
		k, c := keep(), copyTo(gcs)
		prog, diags := Compile(context.Background(), policy(rule("r", nil, reject("non"), k, c)), Options{Trust: trust(t)})
		require.Nil(t, prog)
		require.Equal(t, []rules.Code{rules.CodeRejectConflict, rules.CodeRejectConflict}, codes(diags))
		require.Equal(t, k.Range, diags[0].Range)
		require.Equal(t, c.Range, diags[1].Range)
	})
	t.Run("too many redirects in one rule", func(t *testing.T) {
		fifth := copyTo("e@medecin.mssante.fr")
		prog, diags := Compile(context.Background(), policy(rule("r", nil,
			copyTo("a@medecin.mssante.fr"), copyTo("b@medecin.mssante.fr"), copyTo("c@medecin.mssante.fr"),
			copyTo("a@medecin.mssante.fr"), copyTo("d@medecin.mssante.fr"), fifth)), Options{Trust: trust(t)})
		require.Nil(t, prog)
		require.Equal(t, []rules.Code{rules.CodeTooManyRedirects}, codes(diags))
		require.Equal(t, fifth.Range, diags[0].Range)
		// The limit is an option.
		_, diags = Compile(context.Background(), policy(rule("r", nil, copyTo("a@medecin.mssante.fr"), copyTo("b@medecin.mssante.fr"))),
			Options{Trust: trust(t), MaxRedirects: 1})
		require.Equal(t, []rules.Code{rules.CodeTooManyRedirects}, codes(diags))
	})
	t.Run("unreachable", func(t *testing.T) {
		after := fileInto("B")
		later := rule("jamais", nil, discard())
		prog, diags := Compile(context.Background(), policy(
			rule("tout", &rules.Always{Node: pos()}, fileInto("A"), stop(), after),
			later,
		), Options{Trust: trust(t)})
		require.NotNil(t, prog)
		require.Equal(t, []rules.Code{rules.CodeUnreachable, rules.CodeUnreachable}, codes(diags))
		require.Equal(t, after.Range, diags[0].Range)
		require.Equal(t, later.Range, diags[1].Range)
		require.Equal(t, rules.Warning, diags[0].Severity)
	})
	t.Run("short period raised", func(t *testing.T) {
		v := winterAbsence()
		v.Reply.Period = &rules.Period{Node: pos(), Amount: 3600, Unit: rules.Seconds}
		prog, diags := Compile(context.Background(), policy(v), Options{Trust: trust(t)})
		require.NotNil(t, prog)
		require.Equal(t, []rules.Code{rules.CodeInvalidValue}, codes(diags))
		require.Equal(t, rules.Warning, diags[0].Severity)
		require.Equal(t, 24*time.Hour, prog.stmts[0].reply.period)
		// A site may allow shorter periods.
		prog, diags = Compile(context.Background(), policy(v), Options{Trust: trust(t), MinPeriod: time.Minute})
		require.Empty(t, diags)
		require.Equal(t, time.Hour, prog.stmts[0].reply.period)
	})
	t.Run("nil policy", func(t *testing.T) {
		prog, diags := Compile(context.Background(), nil, Options{})
		require.Nil(t, prog)
		require.True(t, diags.HasErrors())
	})
}

// The keep path does not allocate.
func TestKeepPathDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under -race")
	}
	p := compile(t, typicalPolicy(), Options{})
	d := Delivery{Message: parseMsg(t, typicalRaw), EnvelopeFrom: "dr.dupont@chu-nantes.mssante.fr", EnvelopeTo: mailbox, Time: jan6}
	ctx := context.Background()
	require.Equal(t, "implicit-keep", brief(p.Evaluate(ctx, d)))
	require.Zero(t, testing.AllocsPerRun(1000, func() { p.Evaluate(ctx, d) }))

	big := compile(t, fromRules(10000), Options{})
	require.Zero(t, testing.AllocsPerRun(1000, func() { big.Evaluate(ctx, d) }))
}

// TestCompileContext checks that a done context ends Compile with no
// Program and a diagnostic saying why, even in the middle of the regular
// expressions of one rule.
func TestCompileContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, pol := range []*rules.Policy{fromRules(10), bodyRules(1, rules.Regex, regexKey)} {
		prog, diags := Compile(ctx, pol, Options{Trust: trust(t)})
		require.Nil(t, prog)
		require.Equal(t, []rules.Code{rules.CodeLimit}, codes(diags), "%s", diags)
		require.Contains(t, diags[0].Message, "context canceled")
	}
	prog, diags := Compile(context.Background(), fromRules(10), Options{Trust: trust(t)})
	require.NotNil(t, prog, "%s", diags)
}
