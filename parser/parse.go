package parser

import (
	"fmt"
	"os"

	"github.com/tamis-mss/tamis/rules"
)

// Parse reads the policy in src, named filename in positions. It never
// returns a nil policy: with errors it returns what it could read. The
// diagnostics are sorted by position and capped at opts.MaxDiagnostics.
func Parse(filename string, src []byte, opts Options) (*rules.Policy, rules.Diagnostics) {
	p := &rules.Policy{File: filename}
	if opts.MaxFileSize > 0 && len(src) > opts.MaxFileSize {
		return p, tooLarge(filename, int64(len(src)), opts)
	}
	s := newScanner(filename, src, opts)
	s.scan()
	r := &reader{file: filename, opts: opts, p: p, names: map[string]rules.Range{}, diags: s.diags, tainted: s.tainted, strayLines: s.strayLines}
	p.Comments = s.comments
	p.BlankLines = blankLinesOf(src)
	r.read(s.toks)
	r.diags.Sort()
	return p, r.diags.Capped(opts.MaxDiagnostics)
}

// ParseFile reads and parses the policy file at path. It returns the source
// too, for rendering the diagnostics. The error reports I/O problems only;
// problems in the policy are diagnostics.
func ParseFile(path string, opts Options) (*rules.Policy, []byte, rules.Diagnostics, error) {
	if opts.MaxFileSize > 0 {
		if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Size() > int64(opts.MaxFileSize) {
			return &rules.Policy{File: path}, nil, tooLarge(path, fi.Size(), opts), nil
		}
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return &rules.Policy{File: path}, nil, nil, fmt.Errorf("read policy %s: %w", path, err)
	}
	p, diags := Parse(path, src, opts)
	return p, src, diags, nil
}

// tooLarge is the diagnostic of a file over opts.MaxFileSize.
func tooLarge(filename string, size int64, opts Options) rules.Diagnostics {
	start := rules.Pos{Line: 1, Column: 1}
	return rules.Diagnostics{{
		Severity: rules.Error, Code: rules.CodeLimit,
		Message: fmt.Sprintf("file of %d bytes is larger than the limit of %d", size, opts.MaxFileSize),
		Range:   rules.Range{File: filename, Start: start, End: start},
		Hint:    fmt.Sprintf("split the policy, or raise the limit (MaxFileSize = %d)", opts.MaxFileSize),
	}}
}

// reader holds the state of one Parse: the policy being built and the
// diagnostics.
type reader struct {
	file  string
	opts  Options
	diags rules.Diagnostics
	p     *rules.Policy

	names      map[string]rules.Range // statement names seen, for duplicates
	tainted    map[int]bool           // offsets of strings with a lexical error: their value is not checked
	strayLines map[int]bool           // lines with a stray character
	mailboxAt  *rules.Range
	timezoneAt *rules.Range
	limitHit   bool
	recovered  int        // mistakes diagnose reported
	lost       [][]*token // the items recovery dropped from the statement

	// cur holds the tokens of the statement being lowered: a grammar
	// token's Pos.Offset indexes it.
	cur []*token
}

func (r *reader) report(code rules.Code, rng rules.Range, hint, format string, args ...any) {
	if r.strayLines[rng.Start.Line] && (code == rules.CodeSyntax || code == rules.CodeUnknownKeyword) {
		return // a consequence of the stray character already reported on this line
	}
	r.diags = append(r.diags, rules.Diagnostic{
		Severity: rules.Error, Code: code, Message: fmt.Sprintf(format, args...), Range: rng, Hint: hint,
	})
}

func (r *reader) rangeOf(t *token) rules.Range {
	return rules.Range{File: r.file, Start: t.start, End: t.end}
}

// between is the range from the start of a to the end of b.
func (r *reader) between(a, b *token) rules.Range {
	return rules.Range{File: r.file, Start: a.start, End: b.end}
}
