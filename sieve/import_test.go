package sieve

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/parser"
	"github.com/tamis-mss/tamis/rules"
)

func TestEBNF(t *testing.T) {
	checkGolden(t, "testdata/grammar.ebnf.golden", EBNF()+"\n")
}

// importFormat imports src and returns the policy as .rules text, failing
// on any error.
func importFormat(t *testing.T, src string) string {
	t.Helper()
	p, diags := Import("t.sieve", []byte(src))
	require.False(t, diags.HasErrors(), "%s", diags.Render(map[string][]byte{"t.sieve": []byte(src)}))
	return string(parser.Format(p))
}

// TestImportLexical covers the lexical forms of RFC 5228: case-insensitive
// identifiers and tags, comments of both kinds, escapes, numbers with
// suffixes, string lists, text: blocks with a comment, dot-stuffing and
// CRLF, a byte order mark.
func TestImportLexical(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"case-insensitive", `REQUIRE "FileInto"; IF HEADER :CONTAINS "Subject" "x" { FILEINTO "a"; }`,
			"rule \"rule 1\" {\n    when subject contains \"x\"\n    file into \"a\"\n}\n"},
		{"comments", "/* bracket\n comment */ if /* inline */ exists \"X\" # hash\n{ discard; }",
			"# hash\nrule \"rule 1\" {\n    when exists \"X\"\n    discard\n}\n"},
		{"escapes", `if header :is "Subject" "a\"b\\c\d" { discard; }`,
			"rule \"rule 1\" {\n    when subject is \"a\\\"b\\\\cd\"\n    discard\n}\n"},
		{"numbers", `if anyof (size :over 2K, size :under 1m, size :over 3G) { discard; }`,
			"rule \"rule 1\" {\n    when any {\n        size over 2K\n        size under 1M\n        size over 3G\n    }\n    discard\n}\n"},
		{"text-block", "require \"vacation\";\r\nvacation text: # comment\r\nLigne 1\r\n..2\r\n\r\n.\r\n;\r\n",
			"vacation \"rule 1\" {\n    reply \"\"\"\n        Ligne 1\n        .2\n\n        \"\"\"\n}\n"},
		{"reject-lines-joined", "require \"reject\";\r\nreject text:\r\nAbsent.\r\n  Appelez le 15.\r\n\r\n.\r\n;\r\n",
			"rule \"rule 1\" {\n    reject \"Absent. Appelez le 15.\"\n}\n"},
		{"bom-and-tabs", "\uFEFFif\ttrue\t{\tkeep;\t}", "rule \"rule 1\" {\n    keep\n}\n"},
		{"whole-header", `if header :is "from" "Dr X <x@a.mssante.fr>" { discard; }`,
			"rule \"rule 1\" {\n    when header \"from\" is \"Dr X <x@a.mssante.fr>\"\n    discard\n}\n"},
		{"address-parts", `require "envelope"; if anyof (address :localpart :is ["from","sender"] "a", envelope :domain :is ["from","to"] "b.fr") { discard; }`,
			"rule \"rule 1\" {\n    when any {\n        address [\"from\", \"sender\"] local is \"a\"\n        any {\n            envelope from domain is \"b.fr\"\n            envelope to domain is \"b.fr\"\n        }\n    }\n    discard\n}\n"},
		{"octet", `if header :comparator "i;octet" :matches "Subject" "*FIN*" { discard; }`,
			"rule \"rule 1\" {\n    when subject matches \"*FIN*\" case-sensitive\n    discard\n}\n"},
		{"flags", `require "imap4flags"; addflag ["\\Seen \\Flagged", "$Label1"];`,
			"rule \"rule 1\" {\n    flag [\"\\\\Seen\", \"\\\\Flagged\", \"$Label1\"]\n}\n"},
		{"fileinto-copy", `require ["fileinto", "copy"]; fileinto :copy "Archives";`,
			"rule \"rule 1\" {\n    file into \"Archives\"\n    keep\n}\n"},
		{"seconds", `require ["vacation", "vacation-seconds"]; vacation :seconds 7200 :handle "h" "absent";`,
			"vacation \"rule 1\" {\n    reply \"absent\"\n    every 2 hours\n    handle \"h\"\n}\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, importFormat(t, c.src))
		})
	}
}

// TestImportDiagnostics checks that what tamis cannot express is an error
// at the construct's position, naming it.
func TestImportDiagnostics(t *testing.T) {
	cases := []struct{ src, want string }{
		{`if header :regex "Subject" "\\d+" { discard; }`, `t.sieve:1:28: error: regular expression "\\d+" is not read the same way by RE2: the escape \d`},
		{`if header :regex "Subject" "été" { discard; }`, `t.sieve:1:28: error: regular expression "été" with i;ascii-casemap folds ASCII letters only`},
		{`if header :comparator "i;ascii-numeric" :is "X" "1" { discard; }`, `t.sieve:1:23: error: comparator "i;ascii-numeric" is not supported`},
		{`require "vacation"; vacation :mime "x";`, `t.sieve:1:30: error: vacation :mime is not supported`},
		{`require "date"; if date :value "ge" "date" "date" "2025-01-01" { discard; }`, `t.sieve:1:20: error: unsupported Sieve test "date"`},
		{`if envelope :is "auth" "x" { discard; }`, `t.sieve:1:17: error: envelope part "auth" is not supported`},
		{`keep :flags "x";`, `t.sieve:1:6: error: keep :flags is not supported`},
		{`if true { discard; `, `t.sieve:1:20: error: unexpected token "<EOF>"`},
		{`if header :is "a" "b { discard; }`, `t.sieve:1:19: error: a string without its closing quote`},
		{"stop;\nelse { stop; }", `t.sieve:2:1: error: else without a preceding if`},
		{`require ["fileinto", "variables"]; fileinto "${1}";`, `t.sieve:1:45: error: string "${1}" holds a ${…} expansion`},
	}
	for _, c := range cases {
		_, diags := Import("t.sieve", []byte(c.src))
		require.True(t, diags.HasErrors(), c.src)
		require.Contains(t, diags.Error(), c.want, c.src)
	}
}

// TestImportDropsStatementWithError checks that a statement with an error
// is left out whole, the others kept.
func TestImportDropsStatementWithError(t *testing.T) {
	src := "# rule:[A]\nif header :count \"gt\" \"Received\" \"5\" { discard; }\n# rule:[B]\nif true { keep; }\n"
	p, diags := Import("t.sieve", []byte(src))
	require.True(t, diags.HasErrors())
	require.Contains(t, diags.Error(), `t.sieve:1:1: error: statement "A" not imported`)
	require.Len(t, p.Statements, 1)
	require.Equal(t, "B", p.Statements[0].Label().Value)
}

// TestImportWindowExactInstant checks the DST trap: Roundcube's fixed
// +0200 on a November end date is read as the exact instant, 23:00 Paris.
func TestImportWindowExactInstant(t *testing.T) {
	src := `require ["date","relational","vacation"]; if allof (currentdate :zone "+0200" :value "ge" "date" "2025-10-20", currentdate :zone "+0200" :value "le" "date" "2025-11-03") { vacation "x"; }`
	p, diags := Import("t.sieve", []byte(src))
	require.Len(t, diags, 1, "the trap is named")
	require.Equal(t, CodeTrap, diags[0].Code)
	require.Contains(t, diags[0].Message, "the window ends at 2025-11-03 23:00 in Europe/Paris, not at 2025-11-04 00:00 as written")
	v := p.Statements[0].(*rules.Vacation)
	require.Len(t, v.Windows, 1)
	require.Equal(t, "2025-10-20", v.Windows[0].From.String())
	require.Equal(t, "2025-11-03 23:00", v.Windows[0].Until.String())
}

// TestImportAssumedZone checks that currentdate without :zone is read in
// the policy's zone with a warning, never silently.
func TestImportAssumedZone(t *testing.T) {
	src := "# tamis:timezone \"Europe/Paris\"\nrequire [\"date\",\"relational\",\"fileinto\"]; if currentdate :value \"ge\" \"date\" \"2026-01-01\" { fileinto \"a\"; }"
	p, diags := Import("t.sieve", []byte(src))
	require.False(t, diags.HasErrors())
	require.Len(t, diags, 1)
	require.Equal(t, CodeAssumed, diags[0].Code)
	require.Equal(t, "Europe/Paris", p.Zone())
}

func TestTextBlockRoundTrip(t *testing.T) {
	for _, s := range []string{"a\nb", ".\n..\n.x", "fin\n", "\n\n", "ligne\r\nCRLF"} {
		enc := textOrQuote(s)
		tok := strings.TrimSuffix(enc, "")
		got := decodeMultiline(tok, true)
		require.Equal(t, strings.ReplaceAll(s, "\r\n", "\n"), got, "%q encoded as %q", s, enc)
	}
}

// TestImportVacationSecondsImpliesVacation checks RFC 6131 §2: a script
// requiring "vacation-seconds" alone, as Roundcube writes it, may use
// vacation without a warning.
func TestImportVacationSecondsImpliesVacation(t *testing.T) {
	src := "require [\"vacation-seconds\"];\r\nif true\r\n{\r\n\tvacation :seconds 86400 \"Absent.\";\r\n}\r\n"
	_, diags := Import("t.sieve", []byte(src))
	require.Empty(t, diags)
}

// TestImportNamesRefusedStatementsByPlace checks that unnamed statements
// refused by Import are named by their own place in the script, not all
// "rule 1" (issue 17).
func TestImportNamesRefusedStatementsByPlace(t *testing.T) {
	src := "require [\"relational\"];\nif header :count \"gt\" \"Received\" \"5\" { discard; }\nif header :value \"gt\" \"X-Priority\" \"2\" { discard; }\nif true { keep; }\n"
	p, diags := Import("t.sieve", []byte(src))
	require.Contains(t, diags.Error(), `t.sieve:2:1: error: statement "rule 1" not imported`)
	require.Contains(t, diags.Error(), `t.sieve:3:1: error: statement "rule 2" not imported`)
	require.Len(t, p.Statements, 1)
	require.Equal(t, "rule 3", p.Statements[0].Label().Value)
}

// TestImportFileintoCopyCancelled checks that fileinto :copy is refused
// where a discard, redirect, fileinto or reject that may run before or
// after it cancels Sieve's implicit keep (tamis's keep would still store
// the message), and imported as file into and keep elsewhere.
func TestImportFileintoCopyCancelled(t *testing.T) {
	head := "require [\"fileinto\", \"copy\"];\n"
	copyRule := "if header :contains \"subject\" \"RCP\" { fileinto :copy \"RCP\"; }\n"
	for _, c := range []struct {
		script  string
		refused bool
	}{
		{copyRule, false},
		{copyRule + "if exists \"list-id\" { discard; }\n", true},
		{"if exists \"list-id\" { discard; }\n" + copyRule, true},
		{"if exists \"list-id\" { discard; stop; }\n" + copyRule, false},
		{"if header :contains \"subject\" \"RCP\" { fileinto :copy \"RCP\"; stop; }\nif true { discard; }\n", false},
		{copyRule + "if true { redirect \"a@medecin.mssante.fr\"; }\n", true},
		{copyRule + "if false # true\n{ discard; }\n", false},
		{copyRule + "if true { fileinto :copy \"B\"; }\n", false},
	} {
		p, diags := Import("t.sieve", []byte(head+c.script))
		if c.refused {
			require.True(t, diags.HasErrors(), c.script)
			require.Contains(t, diags.Error(), "fileinto :copy has no exact tamis equivalent here", c.script)
			continue
		}
		require.False(t, diags.HasErrors(), "%s\n%v", c.script, diags)
		require.NotEmpty(t, p.Statements)
	}
}
