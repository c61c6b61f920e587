package parser

import (
	"io"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// The grammar of the policy language, as participle structs. EBNF prints
// it; testdata/grammar.ebnf.golden pins it and docs/LANGUAGE.md shows it.
// Lowering (lower*.go) turns a parsed statement into rules values and
// checks what a grammar cannot: dates, zones, sizes, regular expressions,
// duplicates, what belongs in a rule or an absence block.
//
// The token types are the scanner's (lexer.go). A token's Pos.Offset is
// its index among the tokens being parsed, not a byte offset: lowering
// finds the token's decoded value and end with it, and the tokens balance
// adds stay distinct from the real ones. An element's range ends where the
// tokens say it does (reader.element), which costs participle nothing.

// policy is a whole file. Parse reads it one top-level element at a time
// (split.go), with the same productions.
type policy struct {
	Tops []*top `parser:"@@? ( Sep @@? )*"`
}

type top struct {
	Pos       lexer.Position
	Statement *statement   `parser:"  @@"`
	Mailbox   *lexer.Token `parser:"| 'mailbox' @String"`
	Also      *values      `parser:"| 'also' @@"`
	Timezone  *lexer.Token `parser:"| 'timezone' @String"`
}

type statement struct {
	Pos      lexer.Position
	Kind     string      `parser:"@( 'rule' | 'vacation' )"`
	Name     lexer.Token `parser:"@String"`
	Disabled bool        `parser:"@'disabled'?"`
	Items    []*item     `parser:"'{' ( @@ ( Sep @@? )* )? '}'"`
}

type item struct {
	Pos       lexer.Position
	When      *condition   `parser:"  'when' @@"`
	Action    *action      `parser:"| @@"`
	Window    *window      `parser:"| @@"`
	Reply     *lexer.Token `parser:"| 'reply' @String"`
	Subject   *lexer.Token `parser:"| 'subject' @String"`
	ReplyFrom *lexer.Token `parser:"| 'reply-from' @String"`
	Every     *period      `parser:"| 'every' @@"`
	Handle    *lexer.Token `parser:"| 'handle' @String"`
}

type action struct {
	Word    string       `parser:"  @( 'keep' | 'discard' | 'stop' )"`
	Reject  *lexer.Token `parser:"| 'reject' @String"`
	Reroute *lexer.Token `parser:"| 'reroute' 'to' @String"`
	Copy    *lexer.Token `parser:"| 'copy' 'to' @String"`
	File    *lexer.Token `parser:"| 'file' 'into' @String"`
	Flag    *values      `parser:"| 'flag' @@"`
	Notify  *notify      `parser:"| 'notify' @@"`
}

// notify is an arrival notice: notify STRING [saying STRING]
// [at most once per [NUMBER] UNIT].
type notify struct {
	Target lexer.Token  `parser:"@String"`
	Text   *lexer.Token `parser:"( 'saying' @String )?"`
	Limit  *rate        `parser:"( 'at' 'most' 'once' 'per' @@ )?"`
}

// rate is the period of "at most once per": a unit, with an optional
// number ("per hour", "per 4 hours").
type rate struct {
	Amount *lexer.Token `parser:"@Number?"`
	Unit   lexer.Token  `parser:"@( 'day' | 'days' | 'hour' | 'hours' | 'minute' | 'minutes' | 'second' | 'seconds' )"`
}

type window struct {
	From  *bound `parser:"  'from' @@"`
	Until *bound `parser:"  ( 'until' @@ )? | 'until' @@"`
}

type bound struct {
	Date lexer.Token  `parser:"@Date"`
	Time *lexer.Token `parser:"@Time?"`
}

type period struct {
	Amount lexer.Token `parser:"@Number"`
	Unit   lexer.Token `parser:"@( 'day' | 'days' | 'hour' | 'hours' | 'minute' | 'minutes' | 'second' | 'seconds' )"`
}

type condition struct {
	Pos     lexer.Position
	Always  bool         `parser:"  @'always'"`
	Not     *condition   `parser:"| 'not' @@"`
	Group   string       `parser:"| @( 'all' | 'any' ) '{'"`
	Conds   []*condition `parser:"    ( @@ ( Sep @@? )* )? '}'"`
	Sender  string       `parser:"| 'sender' 'is' @( 'patient' | 'trusted' | 'untrusted' )"`
	Message string       `parser:"| 'message' 'is' @( 'auto-reply' | 'read-receipt' | 'bounce' | 'mailing-list' )"`
	Address *address     `parser:"| @@"`
	Header  *header      `parser:"| @@"`
	Exists  *values      `parser:"| 'exists' @@"`
	Size    string       `parser:"| 'size' @( 'over' | 'under' )"`
	Limit   lexer.Token  `parser:"    @Number"`
	During  []*span      `parser:"| 'during' @@ ( ',' @@ )*"`
	From    *bound       `parser:"| 'between' @@"`
	Until   *bound       `parser:"    'and' @@"`
}

type address struct {
	Field    string  `parser:"(   @( 'from' | 'to' | 'cc' | 'bcc' | 'sender' | 'reply-to' )"`
	Envelope string  `parser:"  | 'envelope' @( 'from' | 'to' )"`
	Headers  *values `parser:"  | 'address' @@ )"`
	Part     string  `parser:"@( 'local' | 'domain' )?"`
	Match    match   `parser:"@@"`
}

type header struct {
	Field lexer.Token `parser:"( @( 'subject' | 'body' )"`
	Names *values     `parser:"| 'header' @@ )"`
	Match match       `parser:"@@"`
}

type match struct {
	Kind          string  `parser:"@( 'is' | 'contains' | 'matches' | 'regex' )"`
	Any           *list   `parser:"( 'any' @@"`
	Keys          *values `parser:"| @@ )"`
	CaseSensitive bool    `parser:"@'case-sensitive'?"`
}

type span struct {
	Days  []lexer.Token `parser:"@( Word ( '+' Word )* )"`
	Hours lexer.Token   `parser:"@Hours"`
}

type values struct {
	One  *lexer.Token `parser:"  @String"`
	List *list        `parser:"| @@"`
}

// list holds its commas too: one capture of the strings keeps them all.
type list struct {
	Pos   lexer.Position
	Items []lexer.Token `parser:"'[' @( String ( ',' String )* ','? )? ']'"`
}

// definition is the participle lexer definition: it names the token types
// for the grammar. Lexing is done by scanner, which reports every lexical
// problem with its position instead of stopping at the first.
type definition struct{}

func (definition) Symbols() map[string]lexer.TokenType {
	m := make(map[string]lexer.TokenType, len(kindNames))
	for k, name := range kindNames {
		if tokKind(k) != tText {
			m[name] = symbol(tokKind(k))
		}
	}
	return m
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
	toks := make([]*token, len(s.toks))
	for i := range s.toks {
		toks[i] = &s.toks[i]
	}
	return &tokenLexer{toks: toks}, nil
}

// symbol is the participle type of a token kind. A text block is a
// string to the grammar.
func symbol(k tokKind) lexer.TokenType {
	if k == tText {
		k = tString
	}
	return lexer.TokenType(-(int(k) + 1))
}

// tokenLexer hands participle the tokens of a chunk or of an element, each
// with its index as Pos.Offset.
type tokenLexer struct {
	toks []*token
	i    int
}

func (l *tokenLexer) Next() (lexer.Token, error) {
	i := l.i
	if i >= len(l.toks) {
		p := lexer.Position{Offset: i}
		if i > 0 {
			end := l.toks[i-1].end
			p.Line, p.Column = end.Line, end.Column
		}
		return lexer.EOFToken(p), nil
	}
	l.i++
	t := l.toks[i]
	return lexer.Token{Type: symbol(t.kind), Value: t.raw, Pos: lexer.Position{Offset: i, Line: t.start.Line, Column: t.start.Column}}, nil
}

var (
	grammar = participle.MustBuild[policy](participle.Lexer(definition{}), participle.UseLookahead(2))
	// topParser reads each top-level element; recovery reads the items
	// and conditions of a broken one alone with the others.
	topParser  = mustProduction[top]()
	itemParser = mustProduction[item]()
	condParser = mustProduction[condition]()
)

func mustProduction[P any]() *participle.Parser[P] {
	p, err := participle.ParserForProduction[P](grammar)
	if err != nil {
		panic(err)
	}
	return p
}

// EBNF returns the grammar of the policy language in EBNF, as participle
// reads it. Token types: <word> (a keyword or a day: letters, digits, "_",
// "-"), <string> ("…" or a """ block), <number> (digits, possibly with a
// size unit such as 25M), <date>, <time>, <hours> (08:00-19:00), <sep> (a
// line end or ";"). docs/LANGUAGE.md explains each element.
func EBNF() string { return grammar.String() }
