package casefile

import (
	"bytes"
	"fmt"
	"os"
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
	// Defaults is the envelope that every delivery inherits.
	Defaults Envelope
	// Deliveries are the messages, delivered in order to one program and
	// one reply tracker, so a case can show the reply period at work.
	Deliveries []*Delivery

	lines []string // the source, split into lines without "\n"
	eol   string   // the line end of new lines: "\n", or "\r\n" for a CRLF file
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
	// Expect holds the expected outcome, one fact per line, as written
	// (indentation removed). It is nil when the delivery has no expect block.
	Expect []string

	lastInput   int // index of the delivery's last input line
	expectFirst int // index of the "expect" line, -1 if none
	expectEnd   int // index after the expect block's last line
}

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

// Parse reads a case file. The format, line by line:
//
//	# a comment
//	policy   cabinet.rules                     (optional)
//	now      2025-07-15T09:30:00+02:00         (defaults for every delivery)
//	from     dr.martin@chu-nantes.mssante.fr
//	to       cabinet@esantepdl.mssante.fr
//
//	deliver  messages/ordonnance.eml
//	now      2025-07-16T10:00:00+02:00         (overrides for this delivery)
//	expect
//	    keep (implicit)
//	    copy to remplacant@medecin.mssante.fr  (rule "Congés d'été")
//
// An expect block is the indented lines after "expect", up to the first
// blank or unindented line; indented "#" lines in it are comments, which
// Rewrite does not keep.
func Parse(path string, src []byte) (*File, error) {
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	// Lines keep their "\r" (CRLF files), so that Rewrite gives back every
	// input line byte for byte; the parser ignores it.
	text := strings.TrimSuffix(string(src), "\n")
	f := &File{Path: path, lines: strings.Split(text, "\n"), eol: "\n"}
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
			return nil, bad(i, "unexpected indented line; only the lines of an expect block are indented")
		}
		key, value, _ := strings.Cut(trimmed, " ")
		value = strings.TrimSpace(value)
		if i := strings.Index(value, " #"); i >= 0 && key != "expect" {
			value = strings.TrimSpace(value[:i])
		}
		switch key {
		case "policy":
			if cur != nil {
				return nil, bad(i, "policy must come before the first deliver")
			}
			if f.Policy != "" {
				return nil, bad(i, "a second policy line; a case file tests one policy")
			}
			if value == "" {
				return nil, bad(i, "policy needs a file name")
			}
			f.Policy = value
		case "now", "from", "to":
			env := &f.Defaults
			scope := ""
			if cur != nil {
				if cur.expectFirst >= 0 {
					return nil, bad(i, "%s after expect; start a new deliver", key)
				}
				env = &cur.Envelope
				scope = "delivery "
				cur.lastInput = i
			}
			if seen[scope+key] {
				return nil, bad(i, "a second %s line in the same block", key)
			}
			seen[scope+key] = true
			if value == "" {
				return nil, bad(i, "%s needs a value", key)
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
			}
		case "deliver":
			if value == "" {
				return nil, bad(i, "deliver needs a message file")
			}
			cur = &Delivery{Message: value, Line: i + 1, Comment: above, lastInput: i, expectFirst: -1}
			for k := range seen {
				if strings.HasPrefix(k, "delivery ") {
					delete(seen, k)
				}
			}
			f.Deliveries = append(f.Deliveries, cur)
		case "expect":
			if cur == nil {
				return nil, bad(i, "expect before any deliver")
			}
			if cur.expectFirst >= 0 {
				return nil, bad(i, "a second expect block for the same delivery")
			}
			if value != "" {
				return nil, bad(i, "expect takes no value; write the expected facts on the indented lines below")
			}
			cur.expectFirst = i
			cur.Expect = []string{}
			j := i + 1
			for ; j < len(f.lines); j++ {
				l := strings.TrimSuffix(f.lines[j], "\r")
				if strings.TrimSpace(l) == "" || (l[0] != ' ' && l[0] != '\t') {
					break
				}
				if fact := strings.TrimSpace(l); !strings.HasPrefix(fact, "#") {
					cur.Expect = append(cur.Expect, fact)
				}
			}
			cur.expectEnd = j
			i = j - 1
		default:
			return nil, bad(i, "unknown keyword %q; a case file has policy, now, from, to, deliver and expect lines", key)
		}
	}
	if len(f.Deliveries) == 0 {
		return nil, bad(len(f.lines)-1, "no deliver line: a case delivers at least one message")
	}
	return f, nil
}

// Rewrite returns the case file's text with the expect block of each
// delivery replaced by got[i] (inserted after the delivery's inputs when it
// has none). Every other line is kept byte for byte.
func (f *File) Rewrite(got [][]string) []byte {
	var b strings.Builder
	next := 0 // next source line to copy
	copyTo := func(end int) {
		for ; next < end; next++ {
			b.WriteString(f.lines[next])
			b.WriteByte('\n')
		}
	}
	for i, d := range f.Deliveries {
		if i >= len(got) {
			break
		}
		inserted := d.expectFirst < 0
		if inserted {
			copyTo(d.lastInput + 1)
		} else {
			copyTo(d.expectFirst)
			next = d.expectEnd
		}
		b.WriteString("expect" + f.eol)
		for _, l := range got[i] {
			b.WriteString("    ")
			b.WriteString(l)
			b.WriteString(f.eol)
		}
		if inserted && next < len(f.lines) && f.lines[next] != "" && (f.lines[next][0] == ' ' || f.lines[next][0] == '\t') {
			// An indented comment follows: a blank line keeps it out of
			// the new block.
			b.WriteString(f.eol)
		}
	}
	copyTo(len(f.lines))
	return []byte(b.String())
}
