package message

import (
	"strings"

	"golang.org/x/net/html"
)

// maxHTMLNesting bounds how many times the content of a raw-text element
// that browsers render as markup (noscript, xmp…) is tokenized again, so
// that "<xmp><xmp><xmp>…" stays linear.
const maxHTMLNesting = 2

// htmlText returns the text of an HTML document or fragment, the way
// Dovecot (and so Pigeonhole's body :text) extracts it, so that a body
// test agrees with the reference:
//
//   - every tag (start, end, self-closing, doctype) stands for one space,
//     written only when the text so far is not empty and does not already
//     end in a space or a line break: "urgence <b>vitale</b>" and
//     "<p>urgence</p><p>vitale</p>" both read "urgence vitale";
//   - the text between tags is kept as written: white space is not
//     collapsed and line breaks stay where they are;
//   - character references are decoded (&eacute; is "é", &nbsp; is U+00A0,
//     not a space);
//   - comments and the content of script and style elements are dropped;
//     CDATA sections are kept as text; attribute values are never text.
//
// The tokenizer is golang.org/x/net/html (HTML5), which differs from
// Dovecot's on malformed input only: a "<" that does not open a tag is
// text here (Dovecot drops what follows it up to the next ">"), and an
// entity without its ";" such as "&amp " is decoded here (Dovecot drops
// the "&").
func htmlText(src string) string {
	var b strings.Builder
	b.Grow(len(src))
	writeHTMLText(&b, src, 0)
	return b.String()
}

// writeHTMLText appends the text of src to b; nesting counts the raw-text
// elements whose content is being tokenized again.
func writeHTMLText(b *strings.Builder, src string, nesting int) {
	z := html.NewTokenizer(strings.NewReader(src))
	z.AllowCDATA(true)
	space := func() {
		if n := b.Len(); n > 0 {
			if c := b.String()[n-1]; c != ' ' && c != '\n' {
				b.WriteByte(' ')
			}
		}
	}
	raw := rawNone // what the next text token is
	for {
		switch z.Next() {
		case html.ErrorToken:
			return // io.EOF: the input is a string
		case html.TextToken:
			switch raw {
			case rawDropped:
			case rawMarkup:
				if nesting < maxHTMLNesting {
					writeHTMLText(b, string(z.Raw()), nesting+1)
				} else {
					b.Write(z.Raw())
				}
			default:
				b.Write(z.Text())
			}
		case html.StartTagToken:
			name, _ := z.TagName()
			raw = rawKindOf(name)
			if raw != rawDropped {
				space()
			}
		case html.EndTagToken, html.SelfClosingTagToken, html.DoctypeToken:
			raw = rawNone
			space()
		case html.CommentToken:
			// dropped, without a space, as Dovecot does
		}
	}
}

// Kinds of the text that follows a start tag.
const (
	rawNone    = iota // ordinary text
	rawDropped        // the content of script and style: not text
	rawMarkup         // raw text for HTML5, markup for Dovecot
)

// rawKindOf returns what the text after the start tag name is.
func rawKindOf(name []byte) int {
	switch string(name) {
	case "script", "style":
		return rawDropped
	case "iframe", "noembed", "noframes", "noscript", "plaintext", "xmp":
		return rawMarkup
	}
	return rawNone
}
