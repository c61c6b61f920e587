// Package parser reads tamis policy files (.rules) into rules.Policy values
// and writes them back in canonical form.
//
// Parse never stops at the first mistake: it returns the policy it could
// read together with every diagnostic, each positioned at the offending
// token (line, column in characters, byte offset in the original bytes)
// with a hint. Reading goes in four steps:
//
//   - a scanner (lexer.go) turns the bytes into tokens and comments,
//     reporting every lexical problem (unterminated string, bad escape,
//     invalid UTF-8 with its byte offset) and going on; it is participle's
//     lexer;
//   - the tokens are cut into chunks at each rule or vacation keyword that
//     begins a line, and unbalanced braces, brackets and list commas are
//     repaired in each chunk with a diagnostic (split.go), so that one
//     broken rule does not hide the next;
//   - each top-level element is parsed with the participle grammar of the
//     language (grammar.go; EBNF prints it, docs/LANGUAGE.md shows it).
//     When an element does not parse, recovery (recover.go) reads its
//     parts alone down to the smallest one that fails, reports the mistake
//     there with what the grammar expects, learnt by probing it
//     (diagnose.go, with the words of hints.go), drops that part and
//     parses the rest again;
//   - lowering (lower*.go) builds the rules values from the parse tree and
//     reports what a grammar does not check: impossible dates, unknown time
//     zones, invalid regular expressions, duplicates, elements out of their
//     place, going on after each.
//
// Format prints a policy canonically, keeping its comments and, for a
// policy Parse returned, the blank lines between elements;
// Parse(Format(p)) equals p apart from source positions, and Format is
// idempotent. The language is described in docs/LANGUAGE.md.
package parser
