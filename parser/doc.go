// Package parser reads tamis policy files (.rules) into rules.Policy values
// and writes them back in canonical form.
//
// Parse never stops at the first mistake: it returns the policy it could
// read together with every diagnostic, each positioned at the offending
// token (line, column in characters, byte offset in the original bytes)
// with a hint. Reading goes in four steps:
//
//   - a scanner turns the bytes into tokens and comments, reporting every
//     lexical problem (unterminated string, bad escape, invalid UTF-8 with
//     its byte offset) and going on;
//   - the tokens are cut into chunks at each rule or vacation keyword that
//     begins a line, and unbalanced braces and brackets are repaired in each
//     chunk with a diagnostic, so that one broken rule does not hide the
//     next;
//   - each chunk is parsed with the participle grammar returned by EBNF. It
//     is deliberately permissive: an item is a run of words and values with
//     an optional block. A hand-written recognizer builds the same tree for
//     the inputs the grammar accepts, faster than participle's backtracking;
//     participle parses whatever it refuses and reports its error, and the
//     tests and FuzzParse check that both agree on every input (the
//     measurements that keep participle off the normal path are at the top
//     of recognize.go);
//   - lowering decodes every item against the tables of forms (forms.go,
//     printed in testdata/forms.golden) and builds the rules values,
//     reporting every unknown keyword with "did you mean", impossible
//     dates, unknown time zones, invalid regular expressions, conflicts and
//     the other semantic mistakes, going on after each.
//
// Format prints a policy canonically, keeping its comments and, for a
// policy Parse returned, the blank lines between elements;
// Parse(Format(p)) equals p apart from source positions, and Format is
// idempotent. The language is described in docs/LANGUAGE.md.
package parser
