package parser

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tamis-mss/tamis/rules"
)

// Format prints p in canonical form: 4-space indentation, one element per
// line, one blank line around top-level blocks, lists as any ["a", "b"],
// multi-line strings as """ blocks when that reads back the same. Elements
// keep their source order; comments (p.Comments) are placed before the first
// element that starts after them, or at the end of the line of the element
// they followed on that line. As gofmt does, a blank line the author left
// between two elements or comments (at the top level or in a block) is
// kept, several as one, and none is kept at the start or the end of a
// block; the blank lines are known for a policy returned by Parse (a policy
// built in code or imported from another language gets the canonical
// spacing alone). Parse(Format(p)) equals p apart from positions, and
// Format is idempotent.
func Format(p *rules.Policy) []byte {
	f := &printer{comments: p.Comments, blanks: p.BlankLines}
	var entries []entry
	if p.Mailbox != nil {
		lit := *p.Mailbox
		entries = append(entries, f.simple(lit.Range, func() string { return "mailbox " + f.str(lit.Value) }))
	}
	for _, lit := range p.Also {
		entries = append(entries, f.simple(lit.Range, func() string { return "also " + f.str(lit.Value) }))
	}
	if p.Timezone != nil {
		lit := *p.Timezone
		entries = append(entries, f.simple(lit.Range, func() string { return "timezone " + f.str(lit.Value) }))
	}
	for _, s := range p.Statements {
		switch s := s.(type) {
		case *rules.Rule:
			entries = append(entries, entry{rng: s.Range, block: true, emit: func() { f.rule(s) }})
		case *rules.Vacation:
			entries = append(entries, entry{rng: s.Range, block: true, emit: func() { f.vacation(s) }})
		}
	}
	sortEntries(entries)
	for i, e := range entries {
		if i > 0 && (e.block || entries[i-1].block) {
			f.blank()
		}
		e.run(f)
	}
	if f.ci < len(f.comments) && len(entries) > 0 && entries[len(entries)-1].block {
		f.blank()
	}
	for f.ci < len(f.comments) {
		f.comment()
	}
	return f.b
}

// commentText is the text of a comment as printed: one line starting with
// "#", whatever a policy built in code holds.
func commentText(c rules.Comment) string {
	t := strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(c.Text)
	if !strings.HasPrefix(t, "#") {
		t = "# " + t
	}
	return t
}

// printer accumulates the output.
type printer struct {
	b        []byte
	comments []rules.Comment
	ci       int // next comment to print
	depth    int
	// last is the source line the last thing printed ends on, 0 when
	// unknown; fresh is set after a block's "{", before its first line.
	last  int
	fresh bool
	// blanks are the blank lines of the source (Policy.BlankLines).
	blanks []int
}

// comment prints the next comment, after a blank line if the author left
// one before it.
func (f *printer) comment() {
	c := f.comments[f.ci]
	f.gap(c.Range)
	f.line(commentText(c))
	f.seen(c.Range)
	f.ci++
}

// gap prints a blank line before an element or comment at r when the
// source has one or more blank lines between the last thing printed and r,
// as gofmt does: one at most, and none at the start of a block.
func (f *printer) gap(r rules.Range) {
	if r.IsValid() && f.last > 0 && blankBetween(f.blanks, f.last, r.Start.Line) {
		f.blank()
	}
}

// blank prints a blank line, unless at the start of the output or of a
// block, or after a blank line.
func (f *printer) blank() {
	if f.fresh || len(f.b) == 0 || len(f.b) >= 2 && f.b[len(f.b)-2] == '\n' {
		return
	}
	f.b = append(f.b, '\n')
}

// seen records that the source up to the end of r has been printed.
func (f *printer) seen(r rules.Range) {
	f.last = 0
	if r.IsValid() {
		f.last = r.End.Line
	}
}

// entry is one element of a block: its source range (for ordering and
// comments) and how to print it.
type entry struct {
	rng   rules.Range
	block bool
	emit  func()
}

func (e entry) run(f *printer) {
	f.leading(e.rng)
	f.gap(e.rng)
	e.emit()
}

// sortEntries orders entries by source position when all have one; a
// policy built in code keeps the canonical order it was listed in.
func sortEntries(es []entry) {
	for _, e := range es {
		if !e.rng.IsValid() {
			return
		}
	}
	slices.SortStableFunc(es, func(a, b entry) int { return a.rng.Start.Offset - b.rng.Start.Offset })
}

// simple is an entry printed on one line (which may hold a """ block).
func (f *printer) simple(r rules.Range, text func() string) entry {
	return entry{rng: r, emit: func() {
		f.line(text())
		f.trailing(r, r.End.Line)
		f.seen(r)
	}}
}

func (f *printer) line(s string) {
	for range f.depth {
		f.b = append(f.b, "    "...)
	}
	f.b = append(f.b, s...)
	f.b = append(f.b, '\n')
	f.fresh = false
}

// leading prints the comments that come before r.
func (f *printer) leading(r rules.Range) {
	if !r.IsValid() {
		return
	}
	for f.ci < len(f.comments) && f.comments[f.ci].Range.Start.Offset < r.Start.Offset {
		f.comment()
	}
}

// trailing appends to the last line the comment written after r on source
// line line, if any.
func (f *printer) trailing(r rules.Range, line int) {
	if !r.IsValid() || f.ci >= len(f.comments) {
		return
	}
	c := f.comments[f.ci]
	if c.Range.Start.Line != line || c.Range.Start.Offset < r.Start.Offset {
		return
	}
	f.b = append(f.b[:len(f.b)-1], "  "...)
	f.b = append(f.b, commentText(c)...)
	f.b = append(f.b, '\n')
	f.ci++
}

// block prints "header {", the entries, and "}". headerLine is the source
// line the header ends on, whose comment stays on the header.
func (f *printer) block(r rules.Range, headerLine int, header string, entries []entry) {
	f.line(header + " {")
	f.trailing(r, headerLine)
	f.last, f.fresh = 0, true
	if r.IsValid() {
		f.last = headerLine
	}
	f.depth++
	sortEntries(entries)
	for _, e := range entries {
		e.run(f)
	}
	if r.IsValid() {
		for f.ci < len(f.comments) && f.comments[f.ci].Range.Start.Offset < r.End.Offset {
			f.comment()
		}
	}
	f.depth--
	f.line("}")
	f.trailing(r, r.End.Line)
	f.seen(r)
}

func (f *printer) rule(r *rules.Rule) {
	var es []entry
	if r.When != nil {
		es = append(es, f.when(r.When))
	}
	for _, a := range r.Actions {
		es = append(es, f.action(a)...)
	}
	f.block(r.Range, r.Name.Range.End.Line, "rule "+f.str(r.Name.Value)+disabled(r.Disabled), es)
}

func (f *printer) vacation(v *rules.Vacation) {
	var es []entry
	for _, w := range v.Windows {
		es = append(es, f.simple(w.Range, func() string { return windowText(w) }))
	}
	if v.When != nil {
		es = append(es, f.when(v.When))
	}
	es = append(es, f.reply(&v.Reply)...)
	for _, a := range v.Actions {
		es = append(es, f.action(a)...)
	}
	f.block(v.Range, v.Name.Range.End.Line, "vacation "+f.str(v.Name.Value)+disabled(v.Disabled), es)
}

func disabled(d bool) string {
	if d {
		return " disabled"
	}
	return ""
}

func windowText(w rules.Window) string {
	var parts []string
	if w.From != nil {
		parts = append(parts, "from "+w.From.String())
	}
	if w.Until != nil {
		parts = append(parts, "until "+w.Until.String())
	}
	return strings.Join(parts, " ")
}

// when is the entry of "when COND".
func (f *printer) when(c rules.Condition) entry {
	return f.condEntry(c, "when ")
}

// condEntry prints a condition with a prefix ("when ", "not "…), as a block
// when it ends in all or any.
func (f *printer) condEntry(c rules.Condition, prefix string) entry {
	r := c.Source()
	return entry{rng: r, emit: func() { f.cond(c, prefix) }}
}

func (f *printer) cond(c rules.Condition, prefix string) {
	r := c.Source()
	switch c := c.(type) {
	case *rules.Not:
		f.cond(c.Cond, prefix+"not ")
		return
	case *rules.All:
		f.block(r, r.Start.Line, prefix+"all", f.condEntries(c.Conds))
		return
	case *rules.Any:
		f.block(r, r.Start.Line, prefix+"any", f.condEntries(c.Conds))
		return
	}
	f.line(prefix + f.condText(c))
	f.trailing(r, r.End.Line)
	f.seen(r)
}

func (f *printer) condEntries(cs []rules.Condition) []entry {
	es := make([]entry, len(cs))
	for i, c := range cs {
		es[i] = f.condEntry(c, "")
	}
	return es
}

// condText prints a condition that is not a block.
func (f *printer) condText(c rules.Condition) string {
	switch c := c.(type) {
	case *rules.Always:
		return "always"
	case *rules.Not:
		return "not " + f.condText(c.Cond)
	case *rules.AddressTest:
		s := c.Field.String()
		if c.Field == rules.FieldHeader {
			s += " " + f.strs(c.Headers)
		}
		if c.Part != rules.PartAll {
			s += " " + c.Part.String()
		}
		return s + " " + f.match(c.Match)
	case *rules.HeaderTest:
		if len(c.Names) == 1 && c.Names[0].Value == "Subject" {
			return "subject " + f.match(c.Match)
		}
		return "header " + f.strs(c.Names) + " " + f.match(c.Match)
	case *rules.BodyTest:
		return "body " + f.match(c.Match)
	case *rules.ExistsTest:
		return "exists " + f.strs(c.Names)
	case *rules.SizeTest:
		if c.Over {
			return "size over " + sizeText(c.Limit)
		}
		return "size under " + sizeText(c.Limit)
	case *rules.PredicateTest:
		return c.Predicate.String()
	case *rules.DuringTest:
		spans := make([]string, len(c.Spans))
		for i, s := range c.Spans {
			spans[i] = daysText(s.Days) + " " + s.Start.String() + "-" + s.End.String()
		}
		return "during " + strings.Join(spans, ", ")
	case *rules.BetweenTest:
		var from, until string
		if c.Window.From != nil {
			from = c.Window.From.String()
		}
		if c.Window.Until != nil {
			until = c.Window.Until.String()
		}
		return "between " + from + " and " + until
	case *rules.All, *rules.Any:
		// Only reached for a block under a prefix that condText cannot
		// express; cond handles them.
		return "always"
	}
	return "always"
}

func (f *printer) match(m rules.Match) string {
	s := m.Kind.String() + " "
	if len(m.Keys) == 1 {
		s += f.str(m.Keys[0].Value)
	} else {
		s += "any " + f.list(m.Keys)
	}
	if m.CaseSensitive {
		s += " case-sensitive"
	}
	return s
}

func sizeText(n int64) string {
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}} {
		if n != 0 && n%u.mult == 0 {
			return strconv.FormatInt(n/u.mult, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}

// daysText prints a set of days: a range when they follow each other from
// Monday's side (mon-fri), else a + list in week order.
func daysText(d rules.Weekdays) string { return d.String() }

// action returns the entries of an action: one line, plus the settings of
// a reply.
func (f *printer) action(a rules.Action) []entry {
	r := a.Source()
	switch a := a.(type) {
	case *rules.Keep:
		return []entry{f.simple(r, func() string { return "keep" })}
	case *rules.Discard:
		return []entry{f.simple(r, func() string { return "discard" })}
	case *rules.Stop:
		return []entry{f.simple(r, func() string { return "stop" })}
	case *rules.Reject:
		return []entry{f.simple(r, func() string { return "reject " + f.str(a.Reason.Value) })}
	case *rules.Reroute:
		return []entry{f.simple(r, func() string { return "reroute to " + f.str(a.Target.Value) })}
	case *rules.Copy:
		return []entry{f.simple(r, func() string { return "copy to " + f.str(a.Target.Value) })}
	case *rules.FileInto:
		return []entry{f.simple(r, func() string { return "file into " + f.str(a.Folder.Value) })}
	case *rules.Flag:
		return []entry{f.simple(r, func() string { return "flag " + f.strs(a.Flags) })}
	case *rules.Reply:
		return f.reply(a)
	case *rules.Notify:
		return []entry{f.simple(r, func() string { return f.notify(a) })}
	}
	return nil
}

// notify prints a notice on one line, as the grammar wants it.
func (f *printer) notify(a *rules.Notify) string {
	s := "notify " + f.str(a.Target.Value)
	if a.Text != nil {
		s += " saying " + f.str(a.Text.Value)
	}
	if p := a.Limit; p != nil {
		unit := p.Unit.String()
		if p.Amount == 1 {
			s += " at most once per " + strings.TrimSuffix(unit, "s")
		} else {
			s += " at most once per " + strconv.FormatInt(p.Amount, 10) + " " + unit
		}
	}
	return s
}

// reply returns the entries of a reply and of its settings.
func (f *printer) reply(a *rules.Reply) []entry {
	es := []entry{f.simple(a.Range, func() string { return "reply " + f.str(a.Text.Value) })}
	if a.Subject != nil {
		lit := *a.Subject
		es = append(es, f.simple(lit.Range, func() string { return "subject " + f.str(lit.Value) }))
	}
	if a.From != nil {
		lit := *a.From
		es = append(es, f.simple(lit.Range, func() string { return "reply-from " + f.str(lit.Value) }))
	}
	if a.Period != nil {
		p := *a.Period
		es = append(es, f.simple(p.Range, func() string {
			unit := p.Unit.String()
			if p.Amount == 1 {
				unit = strings.TrimSuffix(unit, "s")
			}
			return fmt.Sprintf("every %d %s", p.Amount, unit)
		}))
	}
	if a.Handle != nil {
		lit := *a.Handle
		es = append(es, f.simple(lit.Range, func() string { return "handle " + f.str(lit.Value) }))
	}
	return es
}

// strs prints one string, or a list.
func (f *printer) strs(ls []rules.Literal) string {
	if len(ls) == 1 {
		return f.str(ls[0].Value)
	}
	return f.list(ls)
}

func (f *printer) list(ls []rules.Literal) string {
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = quote(l.Value)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// str prints a string value: as a """ block, indented one level deeper
// than the current line, when it holds a newline and reads back the same,
// else quoted.
func (f *printer) str(s string) string {
	if !strings.Contains(s, "\n") {
		return quote(s)
	}
	indent := strings.Repeat("    ", f.depth+1)
	var b strings.Builder
	b.WriteString(`"""`)
	for _, line := range strings.Split(s, "\n") {
		b.WriteByte('\n')
		if line != "" {
			b.WriteString(indent)
			b.WriteString(line)
		}
	}
	b.WriteByte('\n')
	b.WriteString(indent)
	b.WriteString(`"""`)
	block := b.String()
	sc := newScanner("", []byte(block), Options{})
	sc.scan()
	if len(sc.diags) == 0 && len(sc.toks) == 1 && sc.toks[0].kind == tText && sc.toks[0].val == s {
		return block
	}
	return quote(s)
}

// quote prints s as a "…" string, escaping quotes, backslashes and control
// characters.
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029 || r == 0xfeff:
			fmt.Fprintf(&b, `\u{%X}`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
