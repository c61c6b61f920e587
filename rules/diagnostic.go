package rules

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Severity tells whether a diagnostic prevents a policy from being used.
type Severity int

// Severities, most severe first.
const (
	Error Severity = iota
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// MarshalText encodes the severity as its name, for JSON output.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Diagnostic is one problem found in a policy, at a source range, with a
// stable machine code and a hint telling the author what to do about it.
type Diagnostic struct {
	Severity Severity
	Code     Code   // stable identifier, e.g. "unknown-keyword"
	Message  string // one line, lower-case start, no final period
	Range    Range
	Hint     string // optional: what to do, e.g. `did you mean "copy to"?`
}

// Error formats the diagnostic on one line: "file:line:col: error: message".
func (d Diagnostic) Error() string {
	return fmt.Sprintf("%s: %s: %s", d.Range, d.Severity, d.Message)
}

// Render formats the diagnostic for a person: the position line, then the
// offending source line with a caret under the range, then the hint. src is
// the content of d.Range.File; without it only the first and last parts are
// printed.
func (d Diagnostic) Render(src []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s: %s [%s]\n", d.Range, d.Severity, printable(d.Message), d.Code)
	if line, ok := sourceLine(src, d.Range.Start); ok {
		caret := caretLine(line, d.Range)
		b.WriteString("    ")
		b.WriteString(line)
		b.WriteString("\n    ")
		b.WriteString(caret)
		b.WriteByte('\n')
	}
	if d.Hint != "" {
		b.WriteString("    hint: ")
		b.WriteString(printable(d.Hint))
		b.WriteByte('\n')
	}
	return b.String()
}

// sourceLine returns the text of the line holding p, without its line end.
// Invalid UTF-8 is replaced so that the rendering stays printable.
func sourceLine(src []byte, p Pos) (string, bool) {
	if src == nil || !p.IsValid() || p.Offset > len(src) {
		return "", false
	}
	start := p.Offset
	for start > 0 && src[start-1] != '\n' {
		start--
	}
	end := p.Offset
	for end < len(src) && src[end] != '\n' {
		end++
	}
	line := strings.TrimRight(string(src[start:end]), "\r")
	line = strings.TrimPrefix(line, "\uFEFF")
	return printable(strings.ToValidUTF8(line, "\uFFFD")), true
}

// printable replaces the characters a terminal would obey rather than show
// (C0 and C1 controls such as ESC, and the bidirectional overrides of
// "Trojan Source") by a visible character of the same width, so that a
// policy line cannot rewrite the screen of the person who checks it. Tab
// is kept: the caret line copies it. C0 controls become their Unicode
// Control Pictures ("␛" for ESC), the others and invalid UTF-8 U+FFFD.
func printable(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD") // a lone 0x9b byte is CSI to some terminals
	clean := true
	for _, r := range s {
		if needsPicture(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case !needsPicture(r):
			b.WriteRune(r)
		case r < 0x20:
			b.WriteRune(0x2400 + r)
		case r == 0x7f:
			b.WriteRune('\u2421')
		default:
			b.WriteRune('\uFFFD')
		}
	}
	return b.String()
}

func needsPicture(r rune) bool {
	switch {
	case r == '\t':
		return false
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}

// caretLine builds the marker line: the line's own leading tabs are copied
// so that the carets align whatever the tab width, then one "^" per
// character of the range that lies on this line (at least one).
func caretLine(line string, r Range) string {
	var b strings.Builder
	col := 1
	for _, c := range line {
		if col >= r.Start.Column {
			break
		}
		if c == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		col++
	}
	n := 1
	if r.End.Line == r.Start.Line && r.End.Column > r.Start.Column {
		n = r.End.Column - r.Start.Column
	} else if r.End.Line > r.Start.Line {
		n = max(1, utf8.RuneCountInString(line)-r.Start.Column+1)
	}
	b.WriteString(strings.Repeat("^", n))
	return b.String()
}

// Diagnostics is a list of diagnostics. It implements error so that a
// function can return all the problems it found as one value; a nil or empty
// list means no problem.
type Diagnostics []Diagnostic

// Error lists the diagnostics one per line, without source excerpts.
func (ds Diagnostics) Error() string {
	var b strings.Builder
	for i, d := range ds {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.Error())
	}
	return b.String()
}

// HasErrors reports whether any diagnostic has severity Error.
func (ds Diagnostics) HasErrors() bool {
	return slices.ContainsFunc(ds, func(d Diagnostic) bool { return d.Severity == Error })
}

// Errors returns ds as an error when it holds at least one Error diagnostic,
// and nil otherwise, so that warnings alone do not fail a caller.
func (ds Diagnostics) Errors() error {
	if ds.HasErrors() {
		return ds
	}
	return nil
}

// Sort orders the diagnostics by file and position, keeping the order of
// those reported at the same place.
func (ds Diagnostics) Sort() {
	slices.SortStableFunc(ds, func(a, b Diagnostic) int {
		return cmp.Or(
			strings.Compare(a.Range.File, b.Range.File),
			cmp.Compare(a.Range.Start.Offset, b.Range.Start.Offset),
		)
	})
}

// Capped returns at most max diagnostics (max > 0). When some are dropped, the
// last one kept is replaced by a note saying how many were not shown, so a
// reader knows the list is incomplete.
func (ds Diagnostics) Capped(max int) Diagnostics {
	if max <= 0 || len(ds) <= max {
		return ds
	}
	out := slices.Clone(ds[:max-1])
	dropped := ds[max-1:]
	// The note is an error only if an error was dropped: cutting a list of
	// warnings must not make a policy fail.
	sev := Warning
	if dropped.HasErrors() {
		sev = Error
	}
	return append(out, Diagnostic{
		Severity: sev,
		Code:     CodeTooManyErrors,
		Message:  fmt.Sprintf("too many diagnostics: %d more not shown", len(ds)-max+1),
		Range:    dropped[0].Range,
		Hint:     "fix the problems above and check again",
	})
}

// Render formats every diagnostic with Diagnostic.Render, looking up the
// source of each file in sources.
func (ds Diagnostics) Render(sources map[string][]byte) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.Render(sources[d.Range.File]))
	}
	return b.String()
}

// Merge returns ds followed by the diagnostics of more that do not repeat one
// of ds: same file, same start and same code. Two stages that check the same
// thing — the parser and the engine both refuse a reject combined with keep —
// then report it once, in the words of the first.
func (ds Diagnostics) Merge(more Diagnostics) Diagnostics {
	type key struct {
		file   string
		offset int
		code   Code
	}
	seen := make(map[key]bool, len(ds))
	for _, d := range ds {
		seen[key{d.Range.File, d.Range.Start.Offset, d.Code}] = true
	}
	out := slices.Clone(ds)
	for _, d := range more {
		if !seen[key{d.Range.File, d.Range.Start.Offset, d.Code}] {
			out = append(out, d)
		}
	}
	return out
}
