package parser

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/rules"
)

// TestPositionsBOMAndCRLF checks lines, character columns and byte offsets
// in a file with a BOM, CRLF line ends and accents: offsets index the
// original bytes, columns count characters and ignore the BOM.
func TestPositionsBOMAndCRLF(t *testing.T) {
	src := []byte("\uFEFFmailbox \"é@medecin.mssante.fr\"\r\nrule \"Été\" {\r\n    keep\r\n}\r\n")
	p, diags := Parse("bom.rules", src, DefaultOptions())
	require.Empty(t, diags)
	require.Equal(t, rules.Pos{Line: 1, Column: 9, Offset: 11}, p.Mailbox.Range.Start)
	require.Equal(t, rules.Pos{Line: 1, Column: 31, Offset: 34}, p.Mailbox.Range.End)
	r := p.Statements[0].(*rules.Rule)
	require.Equal(t, rules.Pos{Line: 2, Column: 1, Offset: 36}, r.Range.Start)
	require.Equal(t, rules.Pos{Line: 2, Column: 6, Offset: 41}, r.Name.Range.Start)
	require.Equal(t, rules.Pos{Line: 2, Column: 11, Offset: 48}, r.Name.Range.End, "columns count characters, not bytes")
	keep := r.Actions[0].Source()
	require.Equal(t, rules.Pos{Line: 3, Column: 5, Offset: 56}, keep.Start)
	require.Equal(t, "keep", string(src[keep.Start.Offset:keep.End.Offset]))
	require.Equal(t, rules.Pos{Line: 4, Column: 2, Offset: 63}, r.Range.End)
}

// TestLiteralRanges checks, on every valid case, that each literal's range
// covers exactly its quoted source text and that its column is the number
// of characters before it on its line.
func TestLiteralRanges(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "valid", "*.rules"))
	require.NoError(t, err)
	for _, path := range files {
		src, err := os.ReadFile(path)
		require.NoError(t, err)
		p, diags := Parse(path, src, DefaultOptions())
		require.Empty(t, diags)
		n := 0
		walkLiterals(reflect.ValueOf(p), func(l rules.Literal) {
			if !l.Range.IsValid() || l.Value == "Subject" && src[l.Range.Start.Offset] != '"' {
				return // the implicit name of "subject" points at the keyword
			}
			n++
			text := string(src[l.Range.Start.Offset:l.Range.End.Offset])
			require.True(t, strings.HasPrefix(text, `"`) && strings.HasSuffix(text, `"`), "%s: literal range %v covers %q", path, l.Range, text)
			lineStart := strings.LastIndexByte(string(src[:l.Range.Start.Offset]), '\n') + 1
			before := strings.TrimPrefix(string(src[lineStart:l.Range.Start.Offset]), "\uFEFF")
			require.Equal(t, utf8.RuneCountInString(before)+1, l.Range.Start.Column, "%s: column of %q", path, text)
		})
		if len(p.Statements) > 0 {
			require.Positive(t, n, path)
		}
	}
}

// walkLiterals calls fn on every rules.Literal reachable from v.
func walkLiterals(v reflect.Value, fn func(rules.Literal)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkLiterals(v.Elem(), fn)
		}
	case reflect.Slice:
		for i := range v.Len() {
			walkLiterals(v.Index(i), fn)
		}
	case reflect.Struct:
		if l, ok := v.Interface().(rules.Literal); ok {
			fn(l)
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				walkLiterals(v.Field(i), fn)
			}
		}
	}
}

func TestLimits(t *testing.T) {
	opts := DefaultOptions()

	t.Run("file size", func(t *testing.T) {
		o := opts
		o.MaxFileSize = 10
		p, diags := Parse("big.rules", []byte(`mailbox "a@medecin.mssante.fr"`), o)
		require.NotNil(t, p)
		require.Len(t, diags, 1)
		require.Equal(t, rules.CodeLimit, diags[0].Code)
		require.Contains(t, diags[0].Message, "larger than the limit of 10")
	})

	t.Run("statements", func(t *testing.T) {
		o := opts
		o.MaxStatements = 3
		src := generated(5)
		p, diags := Parse("many.rules", src, o)
		require.Len(t, diags, 1)
		require.Equal(t, rules.CodeLimit, diags[0].Code)
		fourth := strings.Index(string(src), `rule "Règle 3"`)
		require.Equal(t, fourth, diags[0].Range.Start.Offset, "reported at the fourth rule")
		require.Len(t, p.Statements, 3)
	})

	t.Run("depth", func(t *testing.T) {
		o := opts
		o.MaxDepth = 3
		_, diags := Parse("deep.rules", []byte("rule \"r\" {\n    when not not always\n}\n"), o)
		require.Empty(t, diags, "three levels are allowed")
		_, diags = Parse("deep.rules", []byte("rule \"r\" {\n    when not not not always\n}\n"), o)
		require.Len(t, diags, 1)
		require.Equal(t, rules.CodeLimit, diags[0].Code)
		require.Equal(t, 22, diags[0].Range.Start.Column, "at the condition past the limit")
	})

	t.Run("string length", func(t *testing.T) {
		o := opts
		o.MaxStringLen = 8
		_, diags := Parse("long.rules", []byte("rule \"12345678\" {\n    reply \"123456789\"\n}\n"), o)
		require.Len(t, diags, 1)
		require.Equal(t, rules.CodeLimit, diags[0].Code)
		require.Equal(t, 2, diags[0].Range.Start.Line)
	})

	t.Run("diagnostics", func(t *testing.T) {
		o := opts
		o.MaxDiagnostics = 3
		_, diags := Parse("bad.rules", []byte("kep\nkep\nkep\nkep\nkep\n"), o)
		require.Len(t, diags, 3)
		require.Equal(t, rules.CodeTooManyErrors, diags[2].Code)
		require.Contains(t, diags[2].Message, "3 more not shown")
	})

	t.Run("defaults accept 10,000 rules in 1 MiB", func(t *testing.T) {
		src := generated(10000)
		if len(src) > DefaultMaxFileSize {
			// The generated rules are longer than typical ones: check the
			// statement limit alone.
			o := opts
			o.MaxFileSize = 0
			_, diags := Parse("g.rules", src, o)
			require.Empty(t, diags)
			return
		}
		_, diags := Parse("g.rules", src, opts)
		require.Empty(t, diags)
	})
}

// TestFormatBuiltPolicy formats a policy built in Go code, without
// positions, and checks that it reads back the same.
func TestFormatBuiltPolicy(t *testing.T) {
	tz := rules.Lit("Europe/Paris")
	mb := rules.Lit("cabinet@medecin.mssante.fr")
	period := &rules.Period{Amount: 2, Unit: rules.Hours}
	subject := rules.Lit("Absent")
	p := &rules.Policy{
		File:     "built.rules",
		Mailbox:  &mb,
		Also:     rules.Lits("a@medecin.mssante.fr", "b@medecin.mssante.fr"),
		Timezone: &tz,
		Statements: []rules.Statement{
			&rules.Vacation{
				Name:    rules.Lit("Congés"),
				Windows: []rules.Window{{From: &rules.Bound{Date: rules.Date{Year: 2026, Month: 8, Day: 1}}}},
				Reply:   rules.Reply{Text: rules.Lit("Absent.\nRetour le 24."), Subject: &subject, Period: period},
				Actions: []rules.Action{&rules.Copy{Target: rules.Lit("r@medecin.mssante.fr")}},
			},
			&rules.Rule{
				Name:     rules.Lit("Tout"),
				Disabled: true,
				When: &rules.Any{Conds: []rules.Condition{
					&rules.Not{Cond: &rules.All{Conds: []rules.Condition{&rules.Always{}}}},
					&rules.AddressTest{Field: rules.FieldHeader, Headers: rules.Lits("Resent-From"), Part: rules.PartDomain,
						Match: rules.Match{Kind: rules.Matches, Keys: rules.Lits("*.fr", "x\"y"), CaseSensitive: true}},
					&rules.DuringTest{Spans: []rules.WeeklySpan{{Days: rules.Weekdays(0).With(1).With(3), Start: rules.Clock{Hour: 8}, End: rules.Clock{Hour: 24}}}},
					&rules.SizeTest{Limit: 3 << 20},
				}},
				Actions: []rules.Action{&rules.Reply{Text: rules.Lit("trailing space \nline")}, &rules.Stop{}},
			},
		},
	}
	out := Format(p)
	want := `mailbox "cabinet@medecin.mssante.fr"
also "a@medecin.mssante.fr"
also "b@medecin.mssante.fr"
timezone "Europe/Paris"

vacation "Congés" {
    from 2026-08-01
    reply """
        Absent.
        Retour le 24.
        """
    subject "Absent"
    every 2 hours
    copy to "r@medecin.mssante.fr"
}

rule "Tout" disabled {
    when any {
        not all {
            always
        }
        address "Resent-From" domain matches any ["*.fr", "x\"y"] case-sensitive
        during mon+wed 08:00-24:00
        size under 3M
    }
    reply "trailing space \nline"
    stop
}
`
	require.Equal(t, want, string(out))
	checkRoundTrip(t, p)
}

// TestTextBlocks checks the """ rules: indentation common to the lines and
// the closing line removed, blank lines kept, trailing blanks removed, CRLF
// read as LF, text on the closing line kept.
func TestTextBlocks(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"closing sets indent", "reply \"\"\"\n      a\n        b\n    \"\"\"", "  a\n    b"},
		{"blank lines", "reply \"\"\"\n\n    a\n\n    b\n\n    \"\"\"", "\na\n\nb\n"},
		{"trailing blanks", "reply \"\"\"\n    a   \n    b\t\n    \"\"\"", "a\nb"},
		{"crlf", "reply \"\"\"\r\n    a\r\n    b\r\n    \"\"\"", "a\nb"},
		{"text before closing", "reply \"\"\"\n    a\n    b\"\"\"", "a\nb"},
		{"no escapes", "reply \"\"\"\n    a\\nb \"quoted\"\n    \"\"\"", "a\\nb \"quoted\""},
		{"tabs", "reply \"\"\"\n\ta\n\t\tb\n\t\"\"\"", "a\n\tb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newScanner("t.rules", []byte(tc.src), DefaultOptions())
			s.scan()
			require.Empty(t, s.diags)
			require.Len(t, s.toks, 2)
			require.Equal(t, tText, s.toks[1].kind)
			require.Equal(t, tc.want, s.toks[1].val)
		})
	}
}

// TestQuote checks that quoted strings read back to the same value.
func TestQuote(t *testing.T) {
	for _, v := range []string{"", "simple", `a"b\c`, "tab\there", "nl\nx", "\x00\x1f\x7f\u0085\u2028\uFEFF", "éÀœ€😀"} {
		s := newScanner("q", []byte(quote(v)), DefaultOptions())
		s.scan()
		require.Empty(t, s.diags, "%q", quote(v))
		require.Len(t, s.toks, 1)
		require.Equal(t, v, s.toks[0].val)
	}
}

// TestParseFile checks the I/O error and a successful read.
func TestParseFile(t *testing.T) {
	_, _, _, err := ParseFile(filepath.Join("testdata", "missing.rules"), DefaultOptions())
	require.ErrorContains(t, err, "read policy")
	p, src, diags, err := ParseFile(filepath.Join("testdata", "valid", "typical.rules"), DefaultOptions())
	require.NoError(t, err)
	require.Empty(t, diags)
	require.NotEmpty(t, src)
	require.Len(t, p.Statements, 11)
	o := DefaultOptions()
	o.MaxFileSize = 100
	_, _, diags, err = ParseFile(filepath.Join("testdata", "valid", "typical.rules"), o)
	require.NoError(t, err)
	require.Len(t, diags, 1)
	require.Equal(t, rules.CodeLimit, diags[0].Code)
}

// TestDidYouMean checks suggestions for misspelt keywords in each place.
func TestDidYouMean(t *testing.T) {
	for _, tc := range []struct{ src, hint string }{
		{"rul \"x\" {\n}", `did you mean "rule"?`},
		{"vacaton \"x\" {\n}", `did you mean "vacation"?`},
		{"rule \"x\" {\n    copie to \"a\"\n}", `did you mean "copy to"?`},
		{"rule \"x\" {\n    fileinto \"a\"\n}", `did you mean "file into"?`},
		{"rule \"x\" {\n    discrad\n}", `did you mean "discard"?`},
		{"rule \"x\" {\n    when subjet is \"a\"\n    keep\n}", `did you mean "subject"?`},
		{"rule \"x\" {\n    when from is \"a\" case-sensitve\n    keep\n}", `did you mean "case-sensitive"?`},
		{"rule \"x\" {\n    when sender is patients\n    keep\n}", `did you mean "patient"?`},
		{"rule \"x\" {\n    when size ovr 1M\n    keep\n}", ""},
	} {
		_, diags := Parse("t.rules", []byte(tc.src), DefaultOptions())
		require.NotEmpty(t, diags, tc.src)
		if tc.hint != "" {
			require.Equal(t, tc.hint, diags[0].Hint, tc.src)
		}
	}
}

// TestLanguageDocExample parses the example at the top of docs/LANGUAGE.md,
// so that the reference and the parser cannot drift apart.
func TestLanguageDocExample(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "LANGUAGE.md"))
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(doc), "```\n")
	require.True(t, ok)
	example, _, ok := strings.Cut(rest, "```\n")
	require.True(t, ok)
	p, diags := Parse("LANGUAGE.md", []byte(example), DefaultOptions())
	require.Empty(t, diags, "%s", diags.Render(map[string][]byte{"LANGUAGE.md": []byte(example)}))
	require.Len(t, p.Statements, 2)
	require.Equal(t, "cabinet-des-lilas.93260@esantepdl.mssante.fr", p.Mailbox.Value)
	v := p.Statements[0].(*rules.Vacation)
	require.Equal(t, "Bonjour,\nLe cabinet est fermé du 20/12 au 05/01. En cas d'urgence, appelez le 15.", v.Reply.Text.Value)
	checkRoundTrip(t, p)
}

// TestInvalidUTF8 checks the byte offsets reported for invalid bytes, in a
// source written byte by byte: a Latin-1 "é" in a string, a lone
// continuation byte in a comment, and a truncated sequence at the end.
func TestInvalidUTF8(t *testing.T) {
	src := []byte{'r', 'u', 'l', 'e', ' ', '"', 'C', 'a', 'f', 0xE9, '"', ' ', '{', '\n', // 0..13
		' ', ' ', ' ', ' ', 'k', 'e', 'e', 'p', ' ', '#', ' ', 0x80, 0x80, '\n', // 14..27
		'}', '\n', 0xE2, 0x82} // 28..31
	p, diags := Parse("latin1.rules", src, DefaultOptions())
	require.Len(t, diags, 3)
	for i, want := range []struct{ line, col, off int }{{1, 10, 9}, {2, 12, 25}, {4, 1, 30}} {
		require.Equal(t, rules.CodeInvalidUTF8, diags[i].Code)
		require.Equal(t, rules.Pos{Line: want.line, Column: want.col, Offset: want.off}, diags[i].Range.Start, diags[i].Message)
	}
	require.Contains(t, diags[0].Message, "byte offset 9 (0xE9)")
	require.Contains(t, diags[1].Message, "byte offset 25 (0x80)", "a run of invalid bytes is one report")
	// The rule is still read, with the invalid byte replaced.
	require.Equal(t, "Caf\uFFFD", p.Statements[0].Label().Value)
}

// TestFormatBuiltComments checks that comments of a policy built in code are
// printed as comments, at the end when they have no position.
func TestFormatBuiltComments(t *testing.T) {
	p := &rules.Policy{
		Statements: []rules.Statement{&rules.Rule{Name: rules.Lit("R"), Actions: []rules.Action{&rules.Keep{}}}},
		Comments:   []rules.Comment{{Text: "# note"}, {Text: "sans dièse\nsur deux lignes"}},
	}
	require.Equal(t, "rule \"R\" {\n    keep\n}\n\n# note\n# sans dièse sur deux lignes\n", string(Format(p)))
}

// TestFormatBlankLines checks which blank lines Format keeps: those of the
// source Parse read (whitespace-only and CRLF lines count, several make
// one), none at the start or end of a block, and none where the ranges
// have gaps that were not blank lines.
func TestFormatBlankLines(t *testing.T) {
	src := "mailbox \"a@medecin.mssante.fr\"\r\n   \t\r\n\r\ntimezone \"UTC\"\r\nrule \"R\" {\r\n\r\n    when from is \"x\"\r\n    \r\n    # c\r\n    keep\r\n\r\n}\r\n"
	p, diags := Parse("b.rules", []byte(src), DefaultOptions())
	require.Empty(t, diags)
	want := "mailbox \"a@medecin.mssante.fr\"\n\ntimezone \"UTC\"\n\nrule \"R\" {\n    when from is \"x\"\n\n    # c\n    keep\n}\n"
	require.Equal(t, want, string(Format(p)))
	checkRoundTrip(t, p)

	// The same elements, with a line holding only ";" where the blank lines
	// were: the gap in the ranges is not a blank line.
	p, diags = Parse("b.rules", []byte("rule \"R\" {\n    when from is \"x\"\n    ;\n    keep\n}\n"), DefaultOptions())
	require.Empty(t, diags)
	require.Equal(t, "rule \"R\" {\n    when from is \"x\"\n    keep\n}\n", string(Format(p)))

	// The layout travels with the policy (Policy.BlankLines); without it,
	// as for a policy built in code, the spacing is canonical.
	p, diags = Parse("b.rules", []byte("also \"a@x\"\n\nalso \"b@x\"\n"), DefaultOptions())
	require.Empty(t, diags)
	require.Equal(t, []int{2}, p.BlankLines)
	require.Equal(t, "also \"a@x\"\n\nalso \"b@x\"\n", string(Format(p)))
	q := *p
	require.Equal(t, "also \"a@x\"\n\nalso \"b@x\"\n", string(Format(&q)))
	q.BlankLines = nil
	require.Equal(t, "also \"a@x\"\nalso \"b@x\"\n", string(Format(&q)))
}
