package parser

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alecthomas/participle/v2/lexer"
	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/rules"
)

// FuzzParse checks that Parse never panics, that every diagnostic is
// positioned inside the source, that the hand-written recognizer agrees
// with participle, and that every input that parses survives the format
// round trip: Parse(Format(p)) equals p apart from positions and Format is
// idempotent.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"valid", "invalid"} {
		files, _ := filepath.Glob(filepath.Join("testdata", dir, "*.rules"))
		for _, path := range files {
			src, err := os.ReadFile(path)
			require.NoError(f, err)
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p, diags := Parse("fuzz.rules", src, DefaultOptions())
		require.NotNil(t, p)
		for _, d := range diags {
			require.Equal(t, "fuzz.rules", d.Range.File)
			require.True(t, d.Range.Start.IsValid(), "diagnostic without position: %v", d)
			require.LessOrEqual(t, d.Range.Start.Offset, len(src))
			require.NotEmpty(t, d.Message)
			require.NotEmpty(t, d.Hint, "diagnostic without hint: %v", d)
		}
		_ = diags.Render(map[string][]byte{"fuzz.rules": src})
		checkRecognizer(t, src)
		if len(diags) == 0 {
			checkRoundTrip(t, p)
		}
	})
}

// checkRecognizer parses every chunk of src both with recognize and with
// participle and requires the same tree (or both failing).
func checkRecognizer(t *testing.T, src []byte) {
	t.Helper()
	s := newScanner("x.rules", src, DefaultOptions())
	s.scan()
	l := &lowerer{file: "x.rules", opts: DefaultOptions(), toks: s.toks, names: map[string]rules.Range{}}
	toks := s.toks
	start := 0
	for i := 1; i <= len(toks); i++ {
		if i < len(toks) && !(toks[i].kind == tWord && topKeywords[toks[i].raw] && toks[i].start.Line > lastLine(&toks[i-1])) {
			continue
		}
		var next *token
		if i < len(toks) {
			next = &toks[i]
		}
		chunk := toks[start:i]
		start = i
		btoks, ok := l.balance(chunk, next)
		if !ok || len(chunk) == 0 {
			continue
		}
		fast, fastOK := recognize(btoks)
		ptoks := make([]lexer.Token, len(btoks))
		for i, t := range btoks {
			ptoks[i] = ptoken("x.rules", t)
		}
		slow, err := participleParse(ptoks, lexer.Position{})
		require.Equal(t, err == nil, fastOK, "recognizer and participle disagree on acceptance (participle: %v)", err)
		if fastOK {
			require.Equal(t, treeString(slow.Items), nodeString(fast), "recognizer and participle build different trees")
			require.Equal(t, nodeString(fromParticiple(slow.Items, btoks)), nodeString(fast), "converted participle tree differs")
		}
	}
}

func treeString(items []*itemNode) string {
	var b strings.Builder
	var walk func(items []*itemNode, depth int)
	walk = func(items []*itemNode, depth int) {
		for _, it := range items {
			b.WriteString(strings.Repeat(" ", depth))
			for _, a := range it.Atoms {
				fmt.Fprintf(&b, "%s@%d ", a.Value, a.Pos.Offset)
			}
			b.WriteByte('\n')
			if it.Block != nil {
				fmt.Fprintf(&b, "%s{@%d\n", strings.Repeat(" ", depth), it.Block.Open.Pos.Offset)
				walk(it.Block.Items, depth+1)
				fmt.Fprintf(&b, "%s}@%d\n", strings.Repeat(" ", depth), it.Block.Close.Pos.Offset)
			}
		}
	}
	walk(items, 0)
	return b.String()
}

// nodeString prints the recognizer's tree like treeString.
func nodeString(items []*node) string {
	var b strings.Builder
	var walk func(items []*node, depth int)
	walk = func(items []*node, depth int) {
		for _, it := range items {
			b.WriteString(strings.Repeat(" ", depth))
			for _, a := range it.atoms {
				fmt.Fprintf(&b, "%s@%d ", a.raw, a.start.Offset)
			}
			b.WriteByte('\n')
			if it.block != nil {
				fmt.Fprintf(&b, "%s{@%d\n", strings.Repeat(" ", depth), it.block.open.start.Offset)
				walk(it.block.items, depth+1)
				fmt.Fprintf(&b, "%s}@%d\n", strings.Repeat(" ", depth), it.block.close.start.Offset)
			}
		}
	}
	walk(items, 0)
	return b.String()
}

// TestRecognizeMatchesParticiple runs the recognizer cross-check on every
// test case and on a generated policy.
func TestRecognizeMatchesParticiple(t *testing.T) {
	for _, dir := range []string{"valid", "invalid"} {
		files, err := filepath.Glob(filepath.Join("testdata", dir, "*.rules"))
		require.NoError(t, err)
		for _, path := range files {
			src, err := os.ReadFile(path)
			require.NoError(t, err)
			t.Run(filepath.Base(path), func(t *testing.T) { checkRecognizer(t, src) })
		}
	}
	t.Run("generated", func(t *testing.T) { checkRecognizer(t, generated(50)) })
}

// TestParticipleError checks how a participle error is reported, on tokens
// that balance would have repaired: the recognizer refuses them, and so
// does participle.
func TestParticipleError(t *testing.T) {
	src := []byte("rule \"x\" {\n    keep\n}\n}\n")
	s := newScanner("x.rules", src, DefaultOptions())
	s.scan()
	btoks := make([]*token, len(s.toks))
	ptoks := make([]lexer.Token, len(s.toks))
	for i := range s.toks {
		btoks[i] = &s.toks[i]
		ptoks[i] = ptoken("x.rules", &s.toks[i])
	}
	_, ok := recognize(btoks)
	require.False(t, ok)
	_, err := participleParse(ptoks, lexer.Position{})
	require.Error(t, err)
	l := &lowerer{file: "x.rules"}
	l.syntaxError(err, s.toks)
	require.Len(t, l.diags, 1)
	d := l.diags[0]
	require.Equal(t, rules.CodeSyntax, d.Code)
	require.Equal(t, `unexpected "}"`, d.Message)
	require.Equal(t, rules.Pos{Line: 4, Column: 1, Offset: 22}, d.Range.Start)
}

// TestParticipleLexer runs participle end to end with the scanner as its
// lexer definition: a valid source parses, and a lexical error comes back
// as the scanner's diagnostics.
func TestParticipleLexer(t *testing.T) {
	tree, err := grammar.ParseString("x.rules", "rule \"x\" {\n    when any { from is \"a\"; to is [\"b\", \"c\"] }\n    keep\n}\n")
	require.NoError(t, err)
	require.Len(t, tree.Items, 1)
	require.Len(t, tree.Items[0].Atoms, 2)
	require.Len(t, tree.Items[0].Block.Items, 2)
	require.Len(t, tree.Items[0].Block.Items[0].Block.Items, 2)

	_, err = grammar.ParseString("x.rules", "rule \"x\n")
	var diags rules.Diagnostics
	require.ErrorAs(t, err, &diags)
	require.Equal(t, rules.CodeUnterminatedString, diags[0].Code)
}
