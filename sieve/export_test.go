package sieve

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/rules"
)

// TestExportRefusesInGoPolicies covers refusals for policies built in Go,
// which no parser has validated.
func TestExportRefusesInGoPolicies(t *testing.T) {
	cases := []struct {
		name string
		p    *rules.Policy
		want string
	}{
		{"flag with a space", &rules.Policy{Statements: []rules.Statement{&rules.Rule{Name: rules.Lit("F"),
			Actions: []rules.Action{&rules.Flag{Flags: rules.Lits("$A $B")}}}}}, "holds a space"},
		{"name with a line break", &rules.Policy{Statements: []rules.Statement{&rules.Rule{Name: rules.Lit("a\nb"),
			Actions: []rules.Action{&rules.Keep{}}}}}, "line break"},
		{"unknown zone", &rules.Policy{Timezone: &rules.Literal{Value: "Europe/Nantes"}}, "unknown time zone"},
		{"case-insensitive non-ASCII regex", &rules.Policy{Statements: []rules.Statement{&rules.Rule{Name: rules.Lit("R"),
			When:    &rules.HeaderTest{Names: rules.Lits("Subject"), Match: rules.Match{Kind: rules.Regex, Keys: rules.Lits("^été")}},
			Actions: []rules.Action{&rules.Keep{}}}}}, "does not fold"},
		{"disabled multi-line test", &rules.Policy{Statements: []rules.Statement{&rules.Rule{Name: rules.Lit("D"), Disabled: true,
			When:    &rules.HeaderTest{Names: rules.Lits("Subject"), Match: rules.Match{Kind: rules.Is, Keys: rules.Lits("a\nb")}},
			Actions: []rules.Action{&rules.Keep{}}}}}, "spans several lines"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			script, diags := Export(c.p)
			require.Nil(t, script)
			require.True(t, diags.HasErrors())
			require.Contains(t, diags.Error(), c.want)
		})
	}
}

// TestExportEmptyAndEdgeConditions checks the Sieve written for conditions
// without operands and for a fixed-offset zone.
func TestExportEmptyAndEdgeConditions(t *testing.T) {
	p := &rules.Policy{Timezone: &rules.Literal{Value: "UTC"}, Statements: []rules.Statement{
		&rules.Rule{Name: rules.Lit("vide"), When: &rules.Any{}, Actions: []rules.Action{&rules.Discard{}}},
		&rules.Rule{Name: rules.Lit("tout"), When: &rules.All{}, Actions: []rules.Action{&rules.Stop{}}},
		&rules.Rule{Name: rules.Lit("jour entier"), When: &rules.DuringTest{Spans: []rules.WeeklySpan{{Days: rules.Weekdays(0).With(1), End: rules.Clock{Hour: 24}}}},
			Actions: []rules.Action{&rules.Keep{}}},
	}}
	script, diags := Export(p)
	require.Empty(t, diags)
	require.Equal(t, `# tamis:timezone "UTC"
require ["date", "relational"];
# rule:[vide]
if false
{
	discard;
}
# rule:[tout]
if true
{
	stop;
}
# rule:[jour entier]
if currentdate :zone "+0000" :is "weekday" "1"
{
	keep;
}
`, string(script))
}
