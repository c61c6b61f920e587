package parser

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/tamis-mss/tamis/rules"
)

// The parse tree. It is deliberately permissive: an item is any run of
// words and values with an optional block; lowering decodes it against the
// known forms. It stays private to the package.
type fileNode struct {
	Items []*itemNode `parser:"( Sep | @@ )*"`
}

type itemNode struct {
	Atoms []lexer.Token `parser:"( @( ( Word | String | Text | Number | Date | Time | Punct )+ )"`
	Block *blockNode    `parser:"  @@? ) | @@"`
}

type blockNode struct {
	Open  lexer.Token `parser:"@\"{\""`
	Items []*itemNode `parser:"( Sep | @@ )*"`
	Close lexer.Token `parser:"@\"}\""`
}

// definition is the participle lexer definition: it names the token types
// for the grammar. Lexing itself is done by scanner, which reports every
// lexical problem with its position instead of stopping at the first.
type definition struct{}

func (definition) Symbols() map[string]lexer.TokenType {
	m := make(map[string]lexer.TokenType, len(kindNames)+1)
	for k, name := range kindNames {
		m[name] = symbol(tokKind(k))
	}
	m["Brace"] = symbol(tBrace)
	return m
}

// tBrace is the participle type of "{" and "}", which the scanner lexes as
// punctuation: blocks are the only structure the grammar sees.
const tBrace = tSep + 1

// ptoken converts a scanner token for participle.
func ptoken(file string, t *token) lexer.Token {
	k := t.kind
	if k == tPunct && (t.raw == "{" || t.raw == "}") {
		k = tBrace
	}
	return lexer.Token{Type: symbol(k), Value: t.raw, Pos: lexPos(file, t.start)}
}

func (definition) Lex(filename string, r io.Reader) (lexer.Lexer, error) {
	src, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	s := newScanner(filename, src, Options{})
	s.scan()
	if len(s.diags) > 0 {
		return nil, s.diags
	}
	return &sliceLexer{toks: participleTokens(filename, s.toks)}, nil
}

func symbol(k tokKind) lexer.TokenType { return lexer.TokenType(-(int(k) + 1)) }

type sliceLexer struct {
	toks []lexer.Token
	i    int
	eof  lexer.Position
}

func (l *sliceLexer) Next() (lexer.Token, error) {
	if l.i >= len(l.toks) {
		return lexer.EOFToken(l.eof), nil
	}
	l.i++
	return l.toks[l.i-1], nil
}

func lexPos(file string, p rules.Pos) lexer.Position {
	return lexer.Position{Filename: file, Offset: p.Offset, Line: p.Line, Column: p.Column}
}

func participleTokens(file string, toks []token) []lexer.Token {
	out := make([]lexer.Token, len(toks))
	for i := range toks {
		out[i] = ptoken(file, &toks[i])
	}
	return out
}

var grammar = participle.MustBuild[fileNode](
	participle.Lexer(definition{}),
	participle.UseLookahead(2),
)

// EBNF returns the grammar of the policy language as participle sees it:
// the structure of items and blocks. Token types: Word, String ("…"), Text
// ("""…"""), Number (digits, possibly with a unit such as 25M), Date, Time,
// Punct ("-", "+", ",", "[", "]"), Sep (a line end or ";"). The forms an
// item may take are decoded by lowering; docs/LANGUAGE.md lists them.
func EBNF() string { return grammar.String() }

// topKeywords start a new chunk when they begin a line: a syntax error in
// one chunk does not hide the problems of the following ones.
var topKeywords = map[string]bool{"rule": true, "vacation": true}

// parseTree splits the tokens into chunks at each rule or vacation keyword
// that begins a line, repairs unbalanced brackets and braces in each (with a
// diagnostic), and parses every chunk. It returns the items in order.
func (l *lowerer) parseTree(toks []token) []*node {
	var items []*node
	start := 0
	for i := 1; i <= len(toks); i++ {
		if i < len(toks) && !(toks[i].kind == tWord && topKeywords[toks[i].raw] && toks[i].start.Line > lastLine(&toks[i-1])) {
			continue
		}
		var next *token
		if i < len(toks) {
			next = &toks[i]
		}
		items = append(items, l.parseChunk(toks[start:i], next)...)
		start = i
	}
	return items
}

// lastLine is the line a token ends on; a newline separator belongs to the
// line it ends.
func lastLine(t *token) int {
	if t.kind == tSep {
		return t.start.Line
	}
	return t.end.Line
}

func (l *lowerer) parseChunk(toks []token, next *token) []*node {
	if len(toks) == 0 {
		return nil
	}
	btoks, ok := l.balance(toks, next)
	if !ok {
		return nil
	}
	if items, ok := recognize(btoks); ok {
		return items
	}
	// The recognizer refused the chunk: participle says why. (The tests
	// check that participle refuses exactly what the recognizer refuses; if
	// it accepts, its tree is used.)
	eof := toks[len(toks)-1].end
	if next != nil {
		eof = next.start
	}
	ptoks := make([]lexer.Token, len(btoks))
	for i, t := range btoks {
		ptoks[i] = ptoken(l.file, t)
	}
	tree, err := participleParse(ptoks, lexPos(l.file, eof))
	if err != nil {
		l.syntaxError(err, toks)
		return nil
	}
	return fromParticiple(tree.Items, btoks)
}

// fromParticiple converts participle's tree to the lowering tree, finding
// each token by its offset and text among the chunk's tokens.
func fromParticiple(items []*itemNode, btoks []*token) []*node {
	type key struct {
		off int
		raw string
	}
	byKey := make(map[key]*token, len(btoks))
	for _, t := range btoks {
		byKey[key{t.start.Offset, t.raw}] = t
	}
	find := func(t lexer.Token) *token { return byKey[key{t.Pos.Offset, t.Value}] }
	var conv func(items []*itemNode) []*node
	conv = func(items []*itemNode) []*node {
		out := make([]*node, len(items))
		for i, it := range items {
			n := &node{}
			for _, a := range it.Atoms {
				n.atoms = append(n.atoms, find(a))
			}
			if it.Block != nil {
				n.block = &block{open: find(it.Block.Open), close: find(it.Block.Close), items: conv(it.Block.Items)}
			}
			out[i] = n
		}
		return out
	}
	return conv(items)
}

// participleParse parses balanced tokens with the participle grammar.
func participleParse(ptoks []lexer.Token, eof lexer.Position) (*fileNode, error) {
	lex, err := lexer.Upgrade(&sliceLexer{toks: ptoks, eof: eof})
	if err != nil {
		return nil, err
	}
	return grammar.ParseFromLexer(lex)
}

// balance returns the chunk's tokens with unclosed lists and blocks closed
// and unmatched closers dropped, each with a diagnostic. It refuses (false)
// a chunk nested deeper than the limit.
func (l *lowerer) balance(toks []token, next *token) ([]*token, bool) {
	// All chunks share one backing array; the trees keep sub-slices of it,
	// which a later growth does not disturb.
	if cap(l.btoks)-len(l.btoks) < len(toks)+2 {
		l.btoks = make([]*token, 0, max(len(l.toks)+16, len(toks)*2+2))
	}
	out := l.btoks[len(l.btoks):len(l.btoks):cap(l.btoks)]
	room := cap(l.btoks) - len(l.btoks)
	defer func() {
		if cap(out) == room { // not reallocated by append
			l.btoks = l.btoks[:len(l.btoks)+len(out)]
		}
	}()
	var open []int // indexes in toks of the open "{" and "["
	synth := func(value string, at rules.Pos) {
		out = append(out, &token{kind: tPunct, raw: value, start: at, end: at})
	}
	closeList := func(at *token) {
		o := toks[open[len(open)-1]]
		l.report(rules.CodeSyntax, rules.Range{File: l.file, Start: at.start, End: at.end},
			fmt.Sprintf("close the list opened at %d:%d with ]", o.start.Line, o.start.Column),
			"missing ] before %s", describe(at))
		synth("]", at.start)
		open = open[:len(open)-1]
	}
	for i := range toks {
		t := &toks[i]
		if t.kind == tPunct {
			switch t.raw {
			case "{":
				if len(open) > 0 && toks[open[len(open)-1]].raw == "[" {
					closeList(t)
				}
				open = append(open, i)
				if l.opts.MaxDepth > 0 && len(open) > l.opts.MaxDepth+2 {
					l.report(rules.CodeLimit, rules.Range{File: l.file, Start: t.start, End: t.end},
						fmt.Sprintf("simplify the conditions, or raise the limit (MaxDepth = %d)", l.opts.MaxDepth),
						"blocks nested deeper than the limit of %d", l.opts.MaxDepth)
					return nil, false
				}
			case "[":
				if len(open) > 0 && toks[open[len(open)-1]].raw == "[" {
					closeList(t)
				}
				open = append(open, i)
			case "}":
				if len(open) > 0 && toks[open[len(open)-1]].raw == "[" {
					closeList(t)
				}
				if len(open) == 0 {
					l.report(rules.CodeSyntax, rules.Range{File: l.file, Start: t.start, End: t.end},
						"remove it, or add the { it should close", "unmatched }")
					continue
				}
				open = open[:len(open)-1]
			case "]":
				if len(open) == 0 || toks[open[len(open)-1]].raw != "[" {
					l.report(rules.CodeSyntax, rules.Range{File: l.file, Start: t.start, End: t.end},
						"remove it, or add the [ it should close", "unmatched ]")
					continue
				}
				open = open[:len(open)-1]
			}
		} else if t.kind == tSep && len(open) > 0 && toks[open[len(open)-1]].raw == "[" {
			closeList(t)
		}
		out = append(out, t)
	}
	end := toks[len(toks)-1].end
	at := &token{kind: tEOF, start: end, end: end}
	if next != nil {
		at = next
	}
	for len(open) > 0 {
		o := toks[open[len(open)-1]]
		if o.raw == "[" {
			closeList(at)
			continue
		}
		l.report(rules.CodeSyntax, rules.Range{File: l.file, Start: at.start, End: at.end},
			fmt.Sprintf("close the block opened at %d:%d with }", o.start.Line, o.start.Column),
			"missing } before %s", describe(at))
		synth("}", at.start)
		open = open[:len(open)-1]
	}
	return out, true
}

// syntaxError reports a participle error at the offending token.
func (l *lowerer) syntaxError(err error, toks []token) {
	var perr participle.Error
	if !errors.As(err, &perr) {
		l.report(rules.CodeSyntax, rules.Range{File: l.file}, "check the braces and brackets", "%v", err)
		return
	}
	p := perr.Position()
	at := rules.Pos{Line: p.Line, Column: p.Column, Offset: p.Offset}
	r := rules.Range{File: l.file, Start: at, End: at}
	what := "this"
	if t := findToken(toks, p.Offset); t != nil {
		r.End = t.end
		what = describe(t)
	}
	hint := "check the braces and brackets around here"
	var unexpected *participle.UnexpectedTokenError
	if errors.As(err, &unexpected) {
		if unexpected.Unexpected.EOF() {
			what = "end of input"
		}
		if e := expectedText(unexpected.Message()); e != "" {
			hint = "expected " + e
		}
		l.report(rules.CodeSyntax, r, hint, "unexpected %s", what)
		return
	}
	l.report(rules.CodeSyntax, r, hint, "%s", perr.Message())
}

// expectedText extracts participle's "(expected …)" part.
func expectedText(msg string) string {
	i := strings.LastIndex(msg, "(expected ")
	if i < 0 || !strings.HasSuffix(msg, ")") {
		return ""
	}
	return msg[i+len("(expected ") : len(msg)-1]
}

// findToken returns the token starting at offset off, or nil.
func findToken(toks []token, off int) *token {
	if i := findIndex(toks, off); i >= 0 {
		return &toks[i]
	}
	return nil
}

// findIndex returns the index of the token starting at offset off, or -1.
func findIndex(toks []token, off int) int {
	i := sort.Search(len(toks), func(i int) bool { return toks[i].start.Offset >= off })
	if i < len(toks) && toks[i].start.Offset == off {
		return i
	}
	return -1
}

// describe names a token for a message.
func describe(t *token) string {
	switch t.kind {
	case tEOF:
		return "the end of the file"
	case tSep:
		if t.raw == ";" {
			return `";"`
		}
		return "the end of the line"
	case tString:
		return "string " + quote(t.val)
	case tText:
		return `""" block`
	}
	return fmt.Sprintf("%q", t.raw)
}
