package rules_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/rules"
)

func at(line, col, off int) rules.Range {
	return rules.Range{File: "t.rules", Start: rules.Pos{Line: line, Column: col, Offset: off}, End: rules.Pos{Line: line, Column: col + 1, Offset: off + 1}}
}

func TestDump(t *testing.T) {
	mb := rules.Literal{Value: "cabinet@medecin.mssante.fr", Range: at(1, 9, 8)}
	p := &rules.Policy{
		File:    "t.rules",
		Mailbox: &mb,
		Statements: []rules.Statement{
			&rules.Vacation{
				Node:    rules.Node{Range: at(3, 1, 40)},
				Name:    rules.Literal{Value: "Congés", Range: at(3, 10, 49)},
				Windows: []rules.Window{{Node: rules.Node{Range: at(4, 5, 60)}, Until: &rules.Bound{Node: rules.Node{Range: at(4, 11, 66)}, Date: rules.Date{Year: 2026, Month: 1, Day: 5}, Time: rules.Clock{Hour: 8}, HasTime: true}}},
				Reply:   rules.Reply{Node: rules.Node{Range: at(5, 5, 90)}, Text: rules.Lit("Absent.\nÀ bientôt."), Period: &rules.Period{Amount: 3, Unit: rules.Days}},
			},
			&rules.Rule{
				Node:     rules.Node{Range: at(8, 1, 120)},
				Name:     rules.Lit("R"),
				Disabled: true,
				When: &rules.Not{Cond: &rules.Any{Conds: []rules.Condition{
					&rules.AddressTest{Field: rules.FieldEnvelopeTo, Part: rules.PartLocal, Match: rules.Match{Kind: rules.Contains, Keys: rules.Lits("a", "b")}},
					&rules.AddressTest{Field: rules.FieldHeader, Headers: rules.Lits("Resent-From"), Match: rules.Match{Kind: rules.Regex, Keys: rules.Lits("^x$"), CaseSensitive: true}},
					&rules.DuringTest{Spans: []rules.WeeklySpan{{Days: rules.Weekdays(0).With(0).With(6), Start: rules.Clock{Hour: 9}, End: rules.Clock{Hour: 12}}}},
					&rules.SizeTest{Over: true, Limit: 1024},
					&rules.PredicateTest{Predicate: rules.MessageBounce},
				}}},
				Actions: []rules.Action{&rules.Flag{Flags: rules.Lits(`\Seen`)}, &rules.Reroute{Target: rules.Lit("x@y.fr")}},
			},
		},
		Comments: []rules.Comment{{Text: "# note", Range: at(2, 1, 36)}},
	}
	want := `policy "t.rules"
  mailbox "cabinet@medecin.mssante.fr"@1:9
  vacation "Congés"@3:10 @3:1
    window @4:5
      until 2026-01-05 08:00 @4:11
    reply @5:5
      text "Absent.\nÀ bientôt."
      period 3 days (72h0m0s)
  rule "R" disabled @8:1
    when
      not
        any
          address envelope to local contains ["a", "b"]
          address headers ["Resent-From"] regex ["^x$"] case-sensitive
          during
            span sat+sun 09:00-12:00
          size over 1024
          predicate message is bounce
    flag ["\\Seen"]
    reroute "x@y.fr"
  comment "# note" @2:1
`
	got := rules.Dump(p)
	require.Equal(t, want, got)

	plain := rules.DumpWithoutPositions(p)
	require.NotContains(t, plain, " @")
	require.NotContains(t, plain, "\"@")
	// Moving every element keeps the dump without positions.
	mb.Range = at(7, 7, 70)
	p.Mailbox = &mb
	p.Comments[0].Range = at(9, 1, 300)
	require.Equal(t, plain, rules.DumpWithoutPositions(p))
	require.NotEqual(t, got, rules.Dump(p))
}
