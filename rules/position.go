package rules

import "fmt"

// Pos is a position in a source file.
type Pos struct {
	Line   int // 1-based line number
	Column int // 1-based column, counted in characters (runes)
	Offset int // 0-based byte offset
}

// IsValid reports whether the position was set by a parser.
func (p Pos) IsValid() bool { return p.Line > 0 }

// Before reports whether p comes before q in the same file.
func (p Pos) Before(q Pos) bool { return p.Offset < q.Offset }

// Range is the source extent of an element: Start is its first character and
// End the position just after its last one.
type Range struct {
	File  string
	Start Pos
	End   Pos
}

// IsValid reports whether the range was set by a parser. Policies built in
// Go code have no positions.
func (r Range) IsValid() bool { return r.Start.IsValid() }

// String formats the start of the range as "file:line:col", the form
// editors and CI annotations understand. A missing file name is omitted.
func (r Range) String() string {
	if !r.IsValid() {
		if r.File == "" {
			return "-"
		}
		return r.File
	}
	if r.File == "" {
		return fmt.Sprintf("%d:%d", r.Start.Line, r.Start.Column)
	}
	return fmt.Sprintf("%s:%d:%d", r.File, r.Start.Line, r.Start.Column)
}

// Node is embedded in every element of a policy and records where it was
// written.
type Node struct {
	Range Range
}

// Source returns the range the element was read from.
func (n Node) Source() Range { return n.Range }

// Literal is a string value as written in a policy, decoded (escapes
// resolved, multi-line indentation stripped), with its source range.
type Literal struct {
	Value string
	Range Range
}

// Lit returns a Literal without position, for policies built in Go code.
func Lit(s string) Literal { return Literal{Value: s} }

// Lits returns Literals without positions.
func Lits(ss ...string) []Literal {
	out := make([]Literal, len(ss))
	for i, s := range ss {
		out[i] = Literal{Value: s}
	}
	return out
}

// Values returns the decoded values of ls.
func Values(ls []Literal) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Value
	}
	return out
}

// Comment is a "#" comment kept for the formatter. Text holds the comment as
// written, from the "#" to the end of the line, trailing spaces removed.
type Comment struct {
	Text  string
	Range Range
}
