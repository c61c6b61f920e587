package parser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/rules"
)

// TestRecoveryKeepsTheRest checks that the mistakes of one statement are
// all reported, and that what is right in it is still read: the elements
// around a broken one, the other spans of a during list, the conditions
// of a group around a broken one.
func TestRecoveryKeepsTheRest(t *testing.T) {
	src := "rule \"R\" {\n" +
		"    keep stop\n" + // 2: an element too many
		"    when any {\n" +
		"        from is\n" + // 4: a value missing
		"        subject contains \"x\"\n" +
		"        during mon 8-12, tue 08:00-09:00\n" + // 6: a span that is not one
		"    }\n" +
		"    copy \"a@medecin.mssante.fr\"\n" + // 8: "to" missing
		"    file into \"Dossier\"\n" +
		"}\n"
	p, diags := Parse("r.rules", []byte(src), DefaultOptions())
	var at []int
	for _, d := range diags {
		require.Equal(t, rules.CodeSyntax, d.Code, d.Message)
		at = append(at, d.Range.Start.Line)
	}
	require.Equal(t, []int{2, 4, 6, 8}, at, "%s", diags.Render(map[string][]byte{"r.rules": []byte(src)}))
	require.Len(t, p.Statements, 1)
	r := p.Statements[0].(*rules.Rule)
	require.Len(t, r.Actions, 1, "file into is read")
	require.Equal(t, "Dossier", r.Actions[0].(*rules.FileInto).Folder.Value)
	any := r.When.(*rules.Any)
	require.Len(t, any.Conds, 2, "subject and the during with its good span are read")
	during := any.Conds[1].(*rules.DuringTest)
	require.Len(t, during.Spans, 1)
	require.Equal(t, "09:00", during.Spans[0].End.String())
}

// TestRecoveryBrokenReply checks that a reply line with a mistake counts as
// a reply: its absence block is not also reported as without reply, nor
// its settings as without a reply.
func TestRecoveryBrokenReply(t *testing.T) {
	src := "vacation \"V\" {\n    reply\n    subject \"Absent\"\n}\n"
	_, diags := Parse("v.rules", []byte(src), DefaultOptions())
	require.Len(t, diags, 1, "%s", diags.Render(map[string][]byte{"v.rules": []byte(src)}))
	require.Equal(t, "expected the text of the reply in quotes after \"reply\"", diags[0].Message)
}

// TestGrammarParsesPolicies runs participle end to end, from the source,
// with the scanner as its lexer: a valid policy parses with the grammar's
// root production, and a lexical error comes back as the scanner's
// diagnostics.
func TestGrammarParsesPolicies(t *testing.T) {
	tree, err := grammar.ParseString("x.rules", "mailbox \"a@b\"\nrule \"x\" {\n    when any { from is \"a\"; to is [\"b\", \"c\"] }\n    keep\n}\n")
	require.NoError(t, err)
	require.Len(t, tree.Tops, 2)
	require.Len(t, tree.Tops[1].Statement.Items, 2)
	require.Len(t, tree.Tops[1].Statement.Items[0].When.Conds, 2)

	_, err = grammar.ParseString("x.rules", "rule \"x\n")
	var diags rules.Diagnostics
	require.ErrorAs(t, err, &diags)
	require.Equal(t, rules.CodeUnterminatedString, diags[0].Code)
}

// TestDeepNegationIsBounded checks that a long run of not is refused before
// the parser recurses into it.
func TestDeepNegationIsBounded(t *testing.T) {
	src := []byte("rule \"r\" {\n    when ")
	for range 100000 {
		src = append(src, "not "...)
	}
	src = append(src, "always\n}\n"...)
	o := DefaultOptions()
	o.MaxFileSize = 0
	_, diags := Parse("deep.rules", src, o)
	require.Len(t, diags, 1)
	require.Equal(t, rules.CodeLimit, diags[0].Code)
}

// TestRecoveryIsBounded checks the bounds that keep recovery linear: a
// during list loses at most maxDrops spans before it goes as a whole, and
// past MaxDiagnostics mistakes a broken element goes at once.
func TestRecoveryIsBounded(t *testing.T) {
	src := "rule \"r\" {\n    when during " + strings.Repeat("mon 8-9, ", 20) + "mon 08:00-09:00\n}\n"
	_, diags := Parse("d.rules", []byte(src), DefaultOptions())
	require.Len(t, diags, maxDrops+1)
	require.Equal(t, "expected hours (08:00-19:00), found \"8-9\"", diags[0].Message)
	require.Equal(t, "unexpected \"8-9\"", diags[maxDrops].Message)

	o := DefaultOptions()
	o.MaxDiagnostics = 3
	_, diags = Parse("i.rules", []byte("rule \"r\" {\n"+strings.Repeat("    kep\n", 10)+"}\n"), o)
	require.Len(t, diags, 3)
	require.Equal(t, `unknown keyword "kep" in a rule`, diags[0].Message)
	require.Contains(t, diags[2].Message, "8 more not shown")
}

// TestRecoveryLostItemsCount checks that an item dropped for a mistake
// still counts where its keyword tells enough: a broken every is a reply
// setting (misplaced in a rule without reply), a broken when is the first
// condition (the next one is a second when).
func TestRecoveryLostItemsCount(t *testing.T) {
	src := "rule \"R\" {\n    every 7\n    when from is\n    when to is \"a@b\"\n    keep\n}\n"
	_, diags := Parse("l.rules", []byte(src), DefaultOptions())
	var got []string
	for _, d := range diags {
		got = append(got, fmt.Sprintf("%d:%d %s", d.Range.Start.Line, d.Range.Start.Column, d.Code))
	}
	require.Equal(t, []string{"2:5 misplaced", "2:12 syntax", "3:17 syntax", "4:5 duplicate-directive"}, got,
		"%s", diags.Render(map[string][]byte{"l.rules": []byte(src)}))
}
