package engine

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/rules"
)

// warnings compiles src and returns its diagnostics of the code.
func warnings(t *testing.T, src string, code rules.Code) rules.Diagnostics {
	t.Helper()
	p := parsePolicy(t, src)
	_, diags := Compile(context.Background(), p, Options{Trust: trust(t)})
	var out rules.Diagnostics
	for _, d := range diags {
		if d.Code == code {
			require.Equal(t, rules.Warning, d.Severity)
			out = append(out, d)
		}
	}
	return out
}

// at returns "line:col" of a position.
func at(r rules.Range) [2]int { return [2]int{r.Start.Line, r.Start.Column} }

func TestDisplayNameKeyWarning(t *testing.T) {
	ds := warnings(t, "rule \"R\" {\n    when any { from is [\"a@b.mssante.fr\", \"Dr X <x@b.mssante.fr>\"]; envelope from matches \"<*>\" }\n    discard\n}\n", rules.CodeDisplayNameKey)
	require.Len(t, ds, 2)
	require.Equal(t, [2]int{2, 43}, at(ds[0].Range), "at the key")
	require.Contains(t, ds[0].Hint, `"x@b.mssante.fr"`)
	require.Equal(t, "the address test", ds[0].Related[0].Message)
	require.Equal(t, [2]int{2, 16}, at(ds[0].Related[0].Range))
	require.Equal(t, [2]int{2, 91}, at(ds[1].Range))

	require.Empty(t, warnings(t, "rule \"R\" {\n    when all { from is \"a@b.mssante.fr\"; header \"From\" contains \"Dr X <x@b.mssante.fr>\"; from regex \"<\" }\n    discard\n}\n", rules.CodeDisplayNameKey),
		"header tests read display names; a regular expression is left alone")
}

func TestAbsenceWindowWarnings(t *testing.T) {
	const a = "vacation \"A\" {\n    from 2025-12-20 until 2026-01-05\n    reply \"A\"\n}\n"
	// Partial overlap with an earlier block: at the later window, related
	// to the earlier one.
	ds := warnings(t, a+"vacation \"B\" {\n    from 2026-01-01 until 2026-01-10\n    reply \"B\"\n}\n", rules.CodeOverlappingWindows)
	require.Len(t, ds, 1)
	require.Equal(t, [2]int{6, 5}, at(ds[0].Range))
	require.Equal(t, [2]int{2, 5}, at(ds[0].Related[0].Range))
	// Windows that follow each other do not overlap (the end is exclusive).
	require.Empty(t, warnings(t, a+"vacation \"B\" {\n    from 2026-01-06 until 2026-01-10\n    reply \"B\"\n}\n", rules.CodeOverlappingWindows))
	// Within one block.
	ds = warnings(t, "vacation \"A\" {\n    from 2025-12-20 until 2026-01-05\n    from 2025-12-24\n    reply \"A\"\n}\n", rules.CodeOverlappingWindows)
	require.Len(t, ds, 1)
	require.Equal(t, [2]int{3, 5}, at(ds[0].Range))
	require.Equal(t, "the earlier window", ds[0].Related[0].Message)

	// Covered by an earlier block without condition: shadowed, at the
	// block, related to the earlier block; not also "overlapping".
	src := a + "vacation \"B\" {\n    from 2025-12-24 until 2025-12-26\n    reply \"B\"\n}\n"
	ds = warnings(t, src, rules.CodeShadowedAbsence)
	require.Len(t, ds, 1)
	require.Equal(t, [2]int{5, 1}, at(ds[0].Range))
	require.Equal(t, [2]int{1, 1}, at(ds[0].Related[0].Range))
	require.Empty(t, warnings(t, src, rules.CodeOverlappingWindows))
	// An earlier block with a condition does not shadow: it may not apply.
	cond := "vacation \"A\" {\n    from 2025-12-20 until 2026-01-05\n    when from domain is \"chu-nantes.mssante.fr\"\n    reply \"A\"\n}\n" +
		"vacation \"B\" {\n    from 2025-12-24 until 2025-12-26\n    reply \"B\"\n}\n"
	require.Empty(t, warnings(t, cond, rules.CodeShadowedAbsence))
	require.Len(t, warnings(t, cond, rules.CodeOverlappingWindows), 1)
	// A block without window shadows every later one; a disabled one none.
	require.Len(t, warnings(t, "vacation \"A\" {\n    reply \"A\"\n}\nvacation \"B\" {\n    from 2025-12-24\n    reply \"B\"\n}\n", rules.CodeShadowedAbsence), 1)
	require.Empty(t, warnings(t, "vacation \"A\" disabled {\n    reply \"A\"\n}\nvacation \"B\" {\n    from 2025-12-24\n    reply \"B\"\n}\n", rules.CodeShadowedAbsence))
}
