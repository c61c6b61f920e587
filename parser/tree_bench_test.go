package parser

import (
	"testing"

	"github.com/alecthomas/participle/v2/lexer"
)

// BenchmarkTree compares, on the 10,000-rule policy of BenchmarkParse, the
// two ways of building the parse tree from the scanned and balanced tokens:
// the hand-written recognizer (the normal path) and the participle grammar
// (the fallback). Each iteration scans, chunks and balances the source, then
// builds every chunk's tree; see the comment at the top of recognize.go.
func BenchmarkTree(b *testing.B) {
	b.Run("recognizer", func(b *testing.B) {
		benchTree(b, func(_ *lowerer, btoks []*token) []*node {
			items, _ := recognize(btoks)
			return items
		})
	})
	b.Run("participle", func(b *testing.B) {
		benchTree(b, func(l *lowerer, btoks []*token) []*node {
			ptoks := make([]lexer.Token, len(btoks))
			for i, t := range btoks {
				ptoks[i] = ptoken(l.file, t)
			}
			tree, err := participleParse(ptoks, lexer.Position{})
			if err != nil {
				b.Fatal(err)
			}
			return fromParticiple(tree.Items, btoks)
		})
	})
}

// benchTree scans the generated policy, cuts it into chunks as parseTree
// does, balances each and builds its tree with build.
func benchTree(b *testing.B, build func(l *lowerer, btoks []*token) []*node) {
	src := generated(10000)
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		s := newScanner("bench.rules", src, Options{})
		s.scan()
		l := &lowerer{file: "bench.rules", toks: s.toks}
		toks, start, items := s.toks, 0, 0
		for i := 1; i <= len(toks); i++ {
			if i < len(toks) && !(toks[i].kind == tWord && topKeywords[toks[i].raw] && toks[i].start.Line > lastLine(&toks[i-1])) {
				continue
			}
			var next *token
			if i < len(toks) {
				next = &toks[i]
			}
			btoks, _ := l.balance(toks[start:i], next)
			start = i
			items += len(build(l, btoks))
		}
		if items == 0 {
			b.Fatal("no items")
		}
	}
}
