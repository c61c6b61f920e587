package lsp

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/tamis-mss/tamis/internal/locale"
	"github.com/tamis-mss/tamis/mssante"
	"github.com/tamis-mss/tamis/parser"
)

// maxDomains is the largest number of domains offered at once; the list is
// then marked incomplete, and the client asks again as the user types.
const maxDomains = 100

// completion offers the keywords that may be written at the position, and
// the domains of the trust list after "@" in the address of a reroute,
// copy or reply-from.
func (s *Server) completion(_ *glsp.Context, params *protocol.CompletionParams) (any, error) {
	d, err := s.document(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	off := d.text.offset(params.Position)
	c := scanTo(d.text.s, off)
	switch {
	case c.inString:
		return s.completeDomain(d.text, c), nil
	case c.inComment, c.inValue:
		return protocol.CompletionList{Items: []protocol.CompletionItem{}}, nil
	}
	list := protocol.CompletionList{Items: []protocol.CompletionItem{}}
	for i, cand := range candidates(c) {
		list.Items = append(list.Items, keywordItem(d.text, cand, off, i, s.printer()))
	}
	return list, nil
}

// keywordItem is the completion of one keyword, replacing the word typed;
// its note and documentation are in p's language.
func keywordItem(t *text, cand candidate, off, rank int, p *locale.Printer) protocol.CompletionItem {
	kind := protocol.CompletionItemKindKeyword
	if !cand.kw.Class.IsForm() {
		kind = protocol.CompletionItemKindEnumMember
	}
	detail := cand.kw.Syntax
	if cand.kw.Note != "" {
		detail += " (" + p.Text(cand.kw.Note) + ")"
	}
	sortText := fmt.Sprintf("%03d", rank)
	label := cand.insert
	return protocol.CompletionItem{
		Label:         label,
		Kind:          &kind,
		Detail:        &detail,
		Documentation: protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: keywordMarkdown(cand.kw, false, p)},
		SortText:      &sortText,
		FilterText:    &label,
		TextEdit:      protocol.TextEdit{Range: protocol.Range{Start: t.position(cand.from), End: t.position(off)}, NewText: cand.insert},
	}
}

// completeDomain offers the listed domains that begin with what follows
// the last "@" before the cursor, in the address of a reroute, copy or
// reply-from.
func (s *Server) completeDomain(t *text, c cursor) protocol.CompletionList {
	list := protocol.CompletionList{Items: []protocol.CompletionItem{}}
	if c.strBlock || !isAddressElement(c.elem) {
		return list
	}
	typed := t.s[c.strStart+1 : c.off]
	at := strings.LastIndexByte(typed, '@')
	if at < 0 {
		return list
	}
	prefix := strings.ToLower(typed[at+1:])
	from := t.position(c.strStart + 1 + at + 1)
	to := t.position(c.off)
	l := s.trustSpace().List()
	detail := s.printer().Text(msgDomainVerified)
	if !l.Verified() {
		detail = s.printer().Text(msgDomainFallback)
	}
	kind := protocol.CompletionItemKindValue
	names := s.domains(l)
	i, _ := slices.BinarySearch(names, prefix)
	for _, dom := range names[i:] {
		if !strings.HasPrefix(dom, prefix) {
			break
		}
		if len(list.Items) == maxDomains {
			list.IsIncomplete = true
			break
		}
		dom := dom
		list.Items = append(list.Items, protocol.CompletionItem{
			Label:    dom,
			Kind:     &kind,
			Detail:   &detail,
			TextEdit: protocol.TextEdit{Range: protocol.Range{Start: from, End: to}, NewText: dom},
		})
	}
	return list
}

// domains returns the domains of l, sorted and in lower case, kept for as
// long as l is the current list.
func (s *Server) domains(l *mssante.List) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.domainList != l {
		s.domainList, s.domainNames = l, l.Domains()
	}
	return s.domainNames
}

// isAddressElement reports whether the element holds an address checked
// against the trust space: "reroute to", "copy to" or "reply-from".
func isAddressElement(toks []token) bool {
	var words []string
	for _, t := range toks {
		if t.kind != tWord {
			break
		}
		words = append(words, t.text)
	}
	phrase := strings.Join(words, " ")
	for _, k := range keywords() {
		if k.Phrase == phrase && (k.Class == parser.ClassAction && strings.HasSuffix(k.Phrase, " to") || k.Phrase == "reply-from") {
			return true
		}
	}
	return false
}
