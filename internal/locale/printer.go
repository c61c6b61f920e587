package locale

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/tamis-mss/tamis/rules"
)

// Printer formats messages in one language. Its zero value is not usable;
// build one with New. A Printer is safe for concurrent use.
type Printer struct {
	tag language.Tag
	p   *message.Printer
	t   *table
}

// New returns a printer for tag (English when tag is not supported).
func New(tag language.Tag) *Printer {
	t := mustLoad()
	if _, ok := t.keys[tag]; !ok {
		tag = English
	}
	return &Printer{tag: tag, p: message.NewPrinter(tag, message.Catalog(t.cat)), t: t}
}

// Tag returns the printer's language.
func (p *Printer) Tag() language.Tag {
	if p == nil {
		return English
	}
	return p.tag
}

// English reports whether the printer speaks English, the language of the
// keys. A nil printer speaks English.
func (p *Printer) English() bool { return p == nil || p.tag == English }

// Sprintf formats the message whose English format is key. Arguments that
// are errors are translated with Text: their text is English, made by the
// packages below.
func (p *Printer) Sprintf(key string, args ...any) string {
	if p.English() {
		return fmt.Sprintf(key, args...)
	}
	args = slices.Clone(args)
	for i, a := range args {
		if err, ok := a.(error); ok {
			args[i] = p.Text(err.Error())
		}
	}
	// The catalog keys are trimmed: "tamis check: %s\n" is found under
	// "tamis check: %s", and its line end kept.
	core := strings.TrimSpace(key)
	lead := key[:strings.Index(key, core)]
	return lead + p.p.Sprintf(core, args...) + key[len(lead)+len(core):]
}

// Fprintf writes the message whose English format is key to w.
func (p *Printer) Fprintf(w io.Writer, key string, args ...any) (int, error) {
	return io.WriteString(w, p.Sprintf(key, args...))
}

// Fprintln writes the message whose English text is key, and a newline.
func (p *Printer) Fprintln(w io.Writer, key string) (int, error) {
	return io.WriteString(w, p.Text(key)+"\n")
}

// Text translates a message already formatted in English: a key without
// verbs, or a message made from a key with verbs, whose arguments are
// taken back and formatted with the translation. Text it does not know is
// returned as it is. Leading and trailing spaces and newlines are kept
// around the translation, so that a help text keeps its layout.
func (p *Printer) Text(msg string) string {
	if p.English() || msg == "" {
		return msg
	}
	return p.text(msg, 0)
}

// minLiteral is the literal text a key must have to match a whole
// message: keys such as "%s or %s" only join the phrases inside another
// message, or they would match any sentence with an "or".
const minLiteral = 6

func (p *Printer) text(msg string, depth int) string {
	core := strings.TrimSpace(msg)
	if core == "" {
		return msg
	}
	lead := msg[:strings.Index(msg, core)]
	trail := msg[len(lead)+len(core):]
	keys := p.t.keys[p.tag]
	if tr, ok := p.t.raw[p.tag][core]; ok {
		return lead + tr + trail // its "%" are not verbs
	}
	if keys[core] {
		// A key without verbs: its translation has none either.
		return lead + p.p.Sprintf(core) + trail
	}
	if depth > 3 {
		return msg
	}
	sub := func(s string) string { return p.text(s, depth+1) }
	for _, pat := range p.t.patterns {
		if !keys[pat.key] || depth == 0 && pat.literal < minLiteral {
			continue
		}
		if args, ok := pat.match(core, sub); ok {
			return lead + p.p.Sprintf(pat.key, args...) + trail
		}
	}
	return msg
}

// Diagnostic returns d with its message, hint and related messages in the
// printer's language; the code, severity and ranges do not change.
func (p *Printer) Diagnostic(d rules.Diagnostic) rules.Diagnostic {
	if p.English() {
		return d
	}
	d.Message = p.Text(d.Message)
	d.Hint = p.Text(d.Hint)
	if d.Related != nil {
		related := make([]rules.Related, len(d.Related))
		for i, r := range d.Related {
			// A related note is a short phrase ("file into here"): the
			// keys too short to match a whole message match it.
			r.Message = p.text(r.Message, 1)
			related[i] = r
		}
		d.Related = related
	}
	return d
}

// Diagnostics translates every diagnostic of ds into a new list.
func (p *Printer) Diagnostics(ds rules.Diagnostics) rules.Diagnostics {
	if p.English() || ds == nil {
		return ds
	}
	out := make(rules.Diagnostics, len(ds))
	for i, d := range ds {
		out[i] = p.Diagnostic(d)
	}
	return out
}

// Severity names a severity: "error" or "warning", "erreur" or
// "avertissement".
func (p *Printer) Severity(s rules.Severity) string {
	return p.Text(s.String())
}

// Render formats a diagnostic as rules.Diagnostic.Render does, in the
// printer's language: message, hint, related notes, and the words
// "error", "warning", "hint" and "note".
func (p *Printer) Render(d rules.Diagnostic, src []byte) string {
	if p.English() {
		return d.Render(src)
	}
	d = p.Diagnostic(d)
	out := d.Render(src)
	prefix := d.Range.String() + ": " + d.Severity.String() + ": "
	if rest, ok := strings.CutPrefix(out, prefix); ok {
		out = d.Range.String() + ": " + p.Severity(d.Severity) + " : " + rest
	}
	out = strings.Replace(out, "\n    hint: ", "\n    "+p.Text("hint")+" : ", 1)
	for _, r := range d.Related {
		out = strings.Replace(out, "\n    "+r.Range.String()+": note: ", "\n    "+r.Range.String()+" : "+p.Text("note")+" : ", 1)
	}
	return out
}

// RenderAll formats every diagnostic with Render, looking up the source
// of each file in sources.
func (p *Printer) RenderAll(ds rules.Diagnostics, sources map[string][]byte) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(p.Render(d, sources[d.Range.File]))
	}
	return b.String()
}
