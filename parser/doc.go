// Package parser reads tamis policy files (.rules) into rules.Policy values
// and writes them back in canonical form.
//
// Parse never stops at the first mistake: it returns the policy it could
// read together with every diagnostic, each positioned at the offending
// token with a hint. The grammar (see EBNF) is deliberately permissive: a
// file is a sequence of items, each a run of words and values with an
// optional block, and the lowering step decodes every item against the
// table of known forms, so that one broken line does not hide the others.
// Format prints a policy canonically, keeping its comments;
// Parse(Format(p)) equals p apart from source positions.
package parser
