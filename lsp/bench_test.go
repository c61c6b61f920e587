package lsp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/tamis-mss/tamis/internal/testenv"
	"github.com/tamis-mss/tamis/mssante"
)

// benchServer returns a server checking against the published list, and
// the largest example policy as an open document.
func benchServer(b *testing.B) (*Server, *document) {
	b.Helper()
	l, err := mssante.LoadList(testenv.TrustList(b), testenv.TrustListSHA256)
	if err != nil {
		b.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join("..", "examples", "hopital-service", "cardiologie.rules"))
	if err != nil {
		b.Fatal(err)
	}
	s := New(Options{Trust: mssante.NewTrustSpace(l)})
	return s, &document{uri: "file:///cardiologie.rules", version: 1, text: newText(string(src))}
}

// BenchmarkDiagnose measures what each keystroke costs: parsing and
// compiling the document (check, what "tamis check" does for one file)
// and converting the diagnostics for the protocol (diagnose).
func BenchmarkDiagnose(b *testing.B) {
	s, d := benchServer(b)
	// One target outside the list, so that there is a diagnostic to convert.
	d.text = newText(strings.Replace(d.text.s, `file into "INBOX/RCP"`, `copy to "x@hopital-inconnu.mssante.fr"`, 1))
	if len(s.diagnose(d)) != 1 {
		b.Fatal("want one diagnostic")
	}
	b.Run("check", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s.check(d)
		}
	})
	b.Run("diagnose", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s.diagnose(d)
		}
	})
}

// BenchmarkCompletion measures a completion of keywords at the end of the
// document and of domains after "@" with the published list (5,002
// domains).
func BenchmarkCompletion(b *testing.B) {
	s, d := benchServer(b)
	d.text = newText(d.text.s + "rule \"x\" {\n    when from \n    copy to \"a@chu-\"\n")
	s.docs[d.uri] = d
	lines := len(d.text.lines)
	for _, c := range []struct {
		name string
		pos  protocol.Position
	}{
		{"keyword", pos(lines-3, 14)},
		{"domain", pos(lines-2, 18)},
	} {
		b.Run(c.name, func(b *testing.B) {
			params := &protocol.CompletionParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
				TextDocument: protocol.TextDocumentIdentifier{URI: d.uri}, Position: c.pos}}
			if res, err := s.completion(nil, params); err != nil || len(res.(protocol.CompletionList).Items) == 0 {
				b.Fatalf("no completion: %v", err)
			}
			b.ReportAllocs()
			for b.Loop() {
				s.completion(nil, params)
			}
		})
	}
}
