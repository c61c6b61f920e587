package casefile

import (
	"bytes"
	"cmp"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"
)

// Ext is the file name extension of a case file.
const Ext = ".case"

// NullSender is how a case writes the empty envelope sender (a bounce).
const NullSender = "<>"

// Envelope is the envelope and clock of a delivery. Empty fields are unset;
// a delivery inherits the unset ones from the file's defaults.
type Envelope struct {
	Now  time.Time // the delivery time
	From string    // the SMTP MAIL FROM; NullSender for the empty one
	To   string    // the SMTP RCPT TO
}

// merge returns e with its unset fields taken from d.
func (e Envelope) merge(d Envelope) Envelope {
	if e.Now.IsZero() {
		e.Now = d.Now
	}
	if e.From == "" {
		e.From = d.From
	}
	if e.To == "" {
		e.To = d.To
	}
	return e
}

// File is a parsed case file.
type File struct {
	// Path is the file's path as given to Parse.
	Path string
	// Title is the comment at the top of the file, without the "#" marks:
	// what the case is about.
	Title []string
	// Policy is the policy file, relative to the case file's directory;
	// empty means the only .rules file of that directory.
	Policy string
	// Trust is the trust list the policy is compiled and evaluated
	// against, relative to the case file's directory; empty means the
	// runner's (Options.Trust).
	Trust string
	// Sieve is a Sieve script of the same policy, relative to the case
	// file's directory: go test runs every delivery through Pigeonhole on
	// it too and requires the same outcome, unless the delivery documents a
	// deliberate difference (Delivery.Pigeonhole). Empty means none.
	Sieve string
	// Diagnostics is the expected diagnostics of the policy, one per line,
	// when the file has a diagnostics block; nil otherwise.
	Diagnostics []string
	// Defaults is the envelope that every delivery inherits.
	Defaults Envelope
	// Deliveries are the messages, delivered in order to one program and
	// one reply tracker, so a case can show the reply period at work.
	Deliveries []*Delivery

	lines       []string // the source, split into lines without "\n"
	eol         string   // the line end of new lines: "\n", or "\r\n" for a CRLF file
	diagnostics span     // the diagnostics block, if any
}

// Delivery is one message delivered in a case, with its expectations.
type Delivery struct {
	// Message is the message file, relative to the case file's directory.
	Message string
	// Line is the line of the "deliver" keyword, for messages.
	Line int
	// Comment is the comment just above the "deliver" line, without the
	// "#" marks: what the delivery shows.
	Comment []string
	// Envelope is the delivery's own envelope; see Effective.
	Envelope Envelope
	// Trust is the trust list current when this delivery is evaluated,
	// relative to the case file's directory: the list was refreshed after
	// the policy was compiled. Empty means the case's list.
	Trust string
	// Expect holds the expected outcome, one fact per line, as written
	// (indentation removed). It is nil when the delivery has no expect block.
	Expect []string
	// Trace holds the expected trace of the evaluation (engine
	// Result.TraceString, one line each) when the delivery has a trace
	// block; nil otherwise.
	Trace []string
	// Pigeonhole documents a deliberate difference from Pigeonhole for
	// this delivery; nil when the two must agree.
	Pigeonhole *Difference

	lastInput int             // index of the delivery's last input line
	blocks    map[string]span // the delivery's blocks, by keyword
}

// Difference is a documented, deliberate difference between tamis and
// Pigeonhole for one delivery: why, and what Pigeonhole does instead.
type Difference struct {
	// Reason says why tamis differs on purpose (the text after the
	// "pigeonhole" keyword); it is required.
	Reason string
	// Lines is Pigeonhole's outcome in the comparison form (see
	// docs/TESTS.md), one fact per line.
	Lines []string
}

// span is where a block lies in the source: its keyword line and the index
// after its last line.
type span struct{ first, end int }

// The blocks a delivery may have, in the order Rewrite writes new ones.
const (
	blockExpect     = "expect"
	blockTrace      = "trace"
	blockPigeonhole = "pigeonhole"
	blockDiags      = "diagnostics"
)

// Effective returns the delivery's envelope with the file's defaults
// filled in.
func (f *File) Effective(d *Delivery) Envelope { return d.Envelope.merge(f.Defaults) }

// SyntaxError is a problem in a case file, at a line.
type SyntaxError struct {
	Path string
	Line int
	Msg  string
}

// Error formats the problem as "file:line: message".
func (e *SyntaxError) Error() string { return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg) }

// ReadFile reads and parses the case file at path.
func ReadFile(path string) (*File, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read case: %w", err)
	}
	return Parse(path, src)
}

// keywords lists the keywords of a case file, for the unknown-keyword
// message.
const keywords = "policy, trust, sieve, diagnostics, now, from, to, deliver, expect, trace and pigeonhole"

// Parse reads a case file. The format, line by line:
//
//	# a comment
//	policy   cabinet.rules                     (optional)
//	trust    ../listes/listeblanche.xml        (optional)
//	sieve    cabinet.sieve                     (optional: compared with Pigeonhole)
//	now      2025-07-15T09:30:00+02:00         (defaults for every delivery)
//	from     dr.martin@chu-nantes.mssante.fr
//	to       cabinet@esantepdl.mssante.fr
//
//	deliver  messages/ordonnance.eml
//	now      2025-07-16T10:00:00+02:00         (overrides for this delivery)
//	expect
//	    copy to "remplacant@medecin.mssante.fr"  (vacation "Congés d'été")
//	    keep (implicit)
//
// A block (diagnostics, expect, trace, pigeonhole) is the indented lines
// after its keyword, up to the first blank or unindented line; indented "#"
// lines in it are comments, which Rewrite does not keep. docs/TESTS.md
// describes every keyword.
func Parse(path string, src []byte) (*File, error) {
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	// Lines keep their "\r" (CRLF files), so that Rewrite gives back every
	// input line byte for byte; the parser ignores it.
	text := strings.TrimSuffix(string(src), "\n")
	f := &File{Path: path, lines: strings.Split(text, "\n"), eol: "\n", diagnostics: span{-1, -1}}
	if strings.HasSuffix(f.lines[0], "\r") {
		f.eol = "\r\n"
	}
	bad := func(i int, format string, args ...any) error {
		return &SyntaxError{Path: path, Line: i + 1, Msg: fmt.Sprintf(format, args...)}
	}
	var cur *Delivery
	seen := map[string]bool{}
	var comment []string // the comment lines just above the current line
	top := true          // no blank or keyword line seen yet
	for i := 0; i < len(f.lines); i++ {
		line := strings.TrimSuffix(f.lines[i], "\r")
		trimmed := strings.TrimSpace(line)
		if text, ok := strings.CutPrefix(trimmed, "#"); ok {
			comment = append(comment, strings.TrimSpace(text))
			if top {
				f.Title = append(f.Title, strings.TrimSpace(text))
			}
			continue
		}
		top = false
		above := comment
		comment = nil
		if trimmed == "" {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			return nil, bad(i, "unexpected indented line; only the lines of a block (expect, trace, pigeonhole, diagnostics) are indented")
		}
		key, value, _ := strings.Cut(trimmed, " ")
		value = strings.TrimSpace(value)
		if i := strings.Index(value, " #"); i >= 0 && key != blockPigeonhole {
			value = strings.TrimSpace(value[:i])
		}
		scope := "" // "delivery " for a line that belongs to the current delivery
		if cur != nil {
			scope = "delivery "
		}
		once := func() error {
			if seen[scope+key] {
				if key == "policy" {
					return bad(i, "a second policy line; a case file tests one policy")
				}
				return bad(i, "a second %s line in the same block", key)
			}
			seen[scope+key] = true
			return nil
		}
		switch key {
		case "policy", "sieve":
			if cur != nil {
				return nil, bad(i, "%s must come before the first deliver", key)
			}
			if err := once(); err != nil {
				return nil, err
			}
			if value == "" {
				return nil, bad(i, "%s needs a file name", key)
			}
			if key == "policy" {
				f.Policy = value
			} else {
				f.Sieve = value
			}
		case "now", "from", "to", "trust":
			if cur != nil && len(cur.blocks) > 0 {
				return nil, bad(i, "%s after a block; the inputs of a delivery come before its blocks, or start a new deliver", key)
			}
			if err := once(); err != nil {
				return nil, err
			}
			if value == "" {
				return nil, bad(i, "%s needs a value", key)
			}
			env := &f.Defaults
			if cur != nil {
				env = &cur.Envelope
				cur.lastInput = i
			}
			switch key {
			case "now":
				t, err := time.Parse(time.RFC3339, value)
				if err != nil {
					return nil, bad(i, "now %q is not an RFC 3339 time; write e.g. 2025-07-15T09:30:00+02:00", value)
				}
				env.Now = t
			case "from":
				env.From = value
			case "to":
				env.To = value
			case "trust":
				if cur != nil {
					cur.Trust = value
				} else {
					f.Trust = value
				}
			}
		case "deliver":
			if value == "" {
				return nil, bad(i, "deliver needs a message file")
			}
			cur = &Delivery{Message: value, Line: i + 1, Comment: above, lastInput: i, blocks: map[string]span{}}
			for k := range seen {
				if strings.HasPrefix(k, "delivery ") {
					delete(seen, k)
				}
			}
			f.Deliveries = append(f.Deliveries, cur)
		case blockDiags, blockExpect, blockTrace, blockPigeonhole:
			switch {
			case key == blockDiags && cur != nil:
				return nil, bad(i, "diagnostics must come before the first deliver: it holds the policy's diagnostics")
			case key != blockDiags && cur == nil:
				return nil, bad(i, "%s before any deliver", key)
			case key == blockPigeonhole && value == "":
				return nil, bad(i, "pigeonhole needs the reason of the difference: pigeonhole WHY, then Pigeonhole's outcome on the indented lines below")
			case key == blockPigeonhole && f.Sieve == "":
				return nil, bad(i, "pigeonhole block in a case without a sieve line: nothing is run through Pigeonhole")
			case key != blockPigeonhole && value != "":
				return nil, bad(i, "%s takes no value; write the lines on the indented lines below", key)
			}
			if key == blockDiags && f.diagnostics.first >= 0 || cur != nil && hasBlock(cur, key) {
				return nil, bad(i, "a second %s block for the same delivery", key)
			}
			lines, end := f.block(i+1, key == blockTrace)
			s := span{i, end}
			switch key {
			case blockDiags:
				f.Diagnostics, f.diagnostics = lines, s
			case blockExpect:
				cur.Expect = lines
			case blockTrace:
				cur.Trace = lines
			case blockPigeonhole:
				cur.Pigeonhole = &Difference{Reason: value, Lines: lines}
			}
			if cur != nil {
				cur.blocks[key] = s
			}
			i = end - 1
		default:
			return nil, bad(i, "unknown keyword %q; a case file has %s lines", key, keywords)
		}
	}
	if len(f.Deliveries) == 0 {
		return nil, bad(len(f.lines)-1, "no deliver line: a case delivers at least one message")
	}
	return f, nil
}

func hasBlock(d *Delivery, key string) bool {
	_, ok := d.blocks[key]
	return ok
}

// block reads the indented lines from index start: the lines without
// comments, without their indentation, or, when relative is set, without
// the indentation of the block's first line only (a trace indents the
// conditions of a statement); never nil. It returns the index after the
// last line.
func (f *File) block(start int, relative bool) ([]string, int) {
	lines := []string{}
	base := ""
	j := start
	for ; j < len(f.lines); j++ {
		l := strings.TrimRight(f.lines[j], " \t\r")
		if l == "" || !startsIndented(l) {
			break
		}
		fact := strings.TrimLeft(l, " \t")
		if strings.HasPrefix(fact, "#") {
			continue
		}
		if relative {
			if base == "" {
				base = l[:len(l)-len(fact)]
			}
			fact = strings.TrimPrefix(l, base)
		}
		lines = append(lines, fact)
	}
	return lines, j
}

// Update is what Rewrite writes into a case file.
type Update struct {
	// Diagnostics replaces the diagnostics block, when the file has one.
	Diagnostics []string
	// Deliveries holds one Recorded per delivery, in order; a shorter
	// slice leaves the last deliveries as they are.
	Deliveries []Recorded
}

// Recorded is what Rewrite writes for one delivery.
type Recorded struct {
	// Expect replaces the expect block, or is inserted after the
	// delivery's inputs when it has none.
	Expect []string
	// Trace replaces the trace block, when the delivery has one and Trace
	// is not nil: a trace is recorded only where the case asks for it.
	Trace []string
	// Pigeonhole replaces the lines of the pigeonhole block, when the
	// delivery has one and Pigeonhole is not nil; its reason is kept.
	Pigeonhole []string
}

// Rewrite returns the case file's text with its blocks replaced as u says.
// Every other line — comments, inputs, blank lines, the reason of a
// pigeonhole block — is kept byte for byte.
func (f *File) Rewrite(u Update) []byte {
	type edit struct {
		at, end int      // source lines replaced: [at, end)
		lines   []string // the new text, lines without line ends
	}
	var edits []edit
	indented := func(head string, lines []string) []string {
		out := []string{head}
		for _, l := range lines {
			out = append(out, "    "+l)
		}
		return out
	}
	if f.diagnostics.first >= 0 && u.Diagnostics != nil {
		edits = append(edits, edit{f.diagnostics.first, f.diagnostics.end, indented(blockDiags, u.Diagnostics)})
	}
	for i, d := range f.Deliveries {
		if i >= len(u.Deliveries) {
			break
		}
		r := u.Deliveries[i]
		if s, ok := d.blocks[blockExpect]; ok {
			edits = append(edits, edit{s.first, s.end, indented(blockExpect, r.Expect)})
		} else {
			lines := indented(blockExpect, r.Expect)
			if next := d.lastInput + 1; next < len(f.lines) && startsIndented(f.lines[next]) {
				// An indented comment follows: a blank line keeps it out of
				// the new block.
				lines = append(lines, "")
			}
			edits = append(edits, edit{d.lastInput + 1, d.lastInput + 1, lines})
		}
		if s, ok := d.blocks[blockTrace]; ok && r.Trace != nil {
			edits = append(edits, edit{s.first, s.end, indented(blockTrace, r.Trace)})
		}
		if s, ok := d.blocks[blockPigeonhole]; ok && r.Pigeonhole != nil {
			edits = append(edits, edit{s.first + 1, s.end, indented("", r.Pigeonhole)[1:]})
		}
	}
	var b strings.Builder
	next := 0 // next source line to copy
	copyTo := func(end int) {
		for ; next < end; next++ {
			b.WriteString(f.lines[next])
			b.WriteByte('\n')
		}
	}
	slices.SortStableFunc(edits, func(a, b edit) int { return cmp.Compare(a.at, b.at) })
	for _, e := range edits {
		copyTo(e.at)
		for _, l := range e.lines {
			b.WriteString(l)
			b.WriteString(f.eol)
		}
		next = e.end
	}
	copyTo(len(f.lines))
	return []byte(b.String())
}

func startsIndented(l string) bool { return l != "" && (l[0] == ' ' || l[0] == '\t') }
