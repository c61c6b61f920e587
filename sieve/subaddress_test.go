package sieve

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/rules"
)

// TestSubaddressRoundTrip checks that every :user and :detail key Import
// writes as a regular expression is given back by Export as it was.
func TestSubaddressRoundTrip(t *testing.T) {
	for _, sub := range []string{"user", "detail"} {
		for _, kind := range []rules.MatchKind{rules.Is, rules.Contains, rules.Matches} {
			for _, key := range []string{"labo", "Jean.Dupont", "résultats", "a-b_c", `x\*y`, "se*at"} {
				if kind != rules.Matches && key == "se*at" || kind == rules.Matches && key == `x\*y` && sub == "user" {
					continue
				}
				re, never := subaddressRegex(sub, kind, true, key)
				require.False(t, never)
				m := rules.Match{Kind: rules.Regex, CaseSensitive: true, Keys: []rules.Literal{{Value: re}}}
				gotSub, gotKind, keys, ok := unfoldSubaddress(m)
				require.True(t, ok, "%s %s %q: %s", sub, kind, key, re)
				// "is" and "matches" without a wildcard are the same test.
				again, _ := subaddressRegex(gotSub, gotKind, true, keys[0])
				require.Equal(t, re, again, "%s %s %q", sub, kind, key)
				require.Equal(t, sub, gotSub)
			}
		}
	}
	// Not an expression of subaddressRegex: left as it is.
	_, _, _, ok := unfoldSubaddress(rules.Match{Kind: rules.Regex, CaseSensitive: true, Keys: []rules.Literal{{Value: "^[^+]*\\+lab$"}}})
	require.False(t, ok, "an unfolded letter is not i;ascii-casemap")
}
