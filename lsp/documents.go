package lsp

import (
	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// document is an open text document, as the client last sent it.
type document struct {
	uri     protocol.DocumentUri
	version protocol.Integer
	text    *text
}

// name is the file name given to the parser: the path of a file: URI, or
// the URI itself.
func (d *document) name() string {
	if p := uriPath(d.uri); p != "" {
		return p
	}
	return string(d.uri)
}

func (s *Server) didOpen(ctx *glsp.Context, params *protocol.DidOpenTextDocumentParams) error {
	d := &document{uri: params.TextDocument.URI, version: params.TextDocument.Version, text: newText(params.TextDocument.Text)}
	s.mu.Lock()
	s.docs[d.uri] = d
	s.mu.Unlock()
	s.publish(ctx, d)
	return nil
}

// didChange applies the changes in order: a change with a range replaces
// that range (in the text as changed by the previous ones), one without
// replaces the whole text.
func (s *Server) didChange(ctx *glsp.Context, params *protocol.DidChangeTextDocumentParams) error {
	s.mu.Lock()
	old, ok := s.docs[params.TextDocument.URI]
	s.mu.Unlock()
	if !ok {
		return errUnknownDocument(s.printer(), params.TextDocument.URI)
	}
	t := old.text
	for _, c := range params.ContentChanges {
		switch c := c.(type) {
		case protocol.TextDocumentContentChangeEvent:
			start, end := t.offset(c.Range.Start), t.offset(c.Range.End)
			if end < start {
				start, end = end, start
			}
			t = newText(t.s[:start] + c.Text + t.s[end:])
		case protocol.TextDocumentContentChangeEventWhole:
			t = newText(c.Text)
		}
	}
	d := &document{uri: old.uri, version: params.TextDocument.Version, text: t}
	s.mu.Lock()
	s.docs[d.uri] = d
	s.mu.Unlock()
	s.publish(ctx, d)
	return nil
}

// didClose forgets the document and clears its diagnostics, which the
// client would otherwise keep showing.
func (s *Server) didClose(ctx *glsp.Context, params *protocol.DidCloseTextDocumentParams) error {
	s.mu.Lock()
	delete(s.docs, params.TextDocument.URI)
	s.mu.Unlock()
	ctx.Notify(protocol.ServerTextDocumentPublishDiagnostics, protocol.PublishDiagnosticsParams{
		URI: params.TextDocument.URI, Diagnostics: []protocol.Diagnostic{},
	})
	return nil
}

// document returns the open document at uri.
func (s *Server) document(uri protocol.DocumentUri) (*document, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.docs[uri]
	if !ok {
		return nil, errUnknownDocument(s.printer(), uri)
	}
	return d, nil
}

// publish checks d and sends its diagnostics.
func (s *Server) publish(ctx *glsp.Context, d *document) {
	version := protocol.UInteger(max(d.version, 0))
	ctx.Notify(protocol.ServerTextDocumentPublishDiagnostics, protocol.PublishDiagnosticsParams{
		URI: d.uri, Version: &version, Diagnostics: s.diagnose(d),
	})
}
