package sieve

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// The grammar of RFC 5228 §8, generic as in the RFC: a command is an
// identifier, arguments (tags, numbers, strings and string lists), an
// optional test or test list, and a ";" or a block. Which commands, tests
// and tags exist is decided when the tree is lowered to rules, so that an
// unsupported construct is reported by name rather than as a syntax error.

// sieveLexer splits a script into tokens. Identifiers, tags and "text:" are
// case-insensitive; the lowering compares them in lower case.
var sieveLexer = lexer.MustSimple([]lexer.SimpleRule{
	// text: [comment] CRLF, lines, "." CRLF (RFC 5228 §2.4.2); a dot line
	// at the very end of the script is accepted without its line break.
	{Name: "Multiline", Pattern: `(?i:text:)[ \t]*(?:#[^\n]*)?\r?\n(?:[^\n]*\n)*?\.(?:\r?\n|$)`},
	{Name: "HashComment", Pattern: `#[^\n]*`},
	{Name: "BracketComment", Pattern: `/\*(?s:.*?)\*/`},
	{Name: "String", Pattern: `"(?:[^"\\]|\\(?s:.))*"`},
	{Name: "Number", Pattern: `[0-9]+[KkMmGg]?`},
	{Name: "Tag", Pattern: `:[A-Za-z_][A-Za-z0-9_]*`},
	{Name: "Ident", Pattern: `[A-Za-z_][A-Za-z0-9_]*`},
	{Name: "Punct", Pattern: `[;,(){}\[\]]`},
	{Name: "Whitespace", Pattern: `(?:[ \t\r\n]|\x{FEFF})+`},
})

var sieveParser = participle.MustBuild[astScript](
	participle.Lexer(sieveLexer),
	participle.Elide("Whitespace", "HashComment", "BracketComment"),
	participle.UseLookahead(2),
)

type astScript struct {
	Commands []*astCommand `parser:"@@*"`
}

// astCommand is "identifier arguments ( ';' / block )".
type astCommand struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Name  string       `parser:"@Ident"`
	Args  []*astArg    `parser:"@@*"`
	Tests *astTestList `parser:"( @@"`
	Test  *astTest     `parser:"| @@ )?"`
	Block *astBlock    `parser:"( @@ | \";\" )"`
}

type astBlock struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Commands []*astCommand `parser:"\"{\" @@* \"}\""`
}

// astTest is "identifier arguments", where arguments may end with a test
// or a test list.
type astTest struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Name  string       `parser:"@Ident"`
	Args  []*astArg    `parser:"@@*"`
	Tests *astTestList `parser:"( @@"`
	Test  *astTest     `parser:"| @@ )?"`
}

type astTestList struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Tests []*astTest `parser:"\"(\" @@ ( \",\" @@ )* \")\""`
}

// astArg is a tag, a number or a string list (one string is a list of one).
type astArg struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Tag     *string     `parser:"  @Tag"`
	Number  *string     `parser:"| @Number"`
	Strings *astStrings `parser:"| @@"`
}

type astStrings struct {
	Pos    lexer.Position
	EndPos lexer.Position

	List   bool         `parser:"( @\"[\""`
	Items  []*astString `parser:"  @@ ( \",\" @@ )* \"]\""`
	Single *astString   `parser:"| @@ )"`
}

type astString struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Quoted *string `parser:"  @String"`
	Multi  *string `parser:"| @Multiline"`
}

// EBNF returns the grammar of the Sieve scripts Import reads, in EBNF.
func EBNF() string { return sieveParser.String() }
