package parser

// Why a hand-written recognizer, and not participle, builds the parse tree
// (measured 2026-11-26 on the shared 2-core machine, loaded by other builds;
// go test -bench 'Tree|Parse/rules=10000' ./parser, 10,000 generated rules,
// 1.36 MB; BenchmarkTree times scanning + chunking + balancing + the tree):
//
//	BenchmarkTree/recognizer       27-31 ms/op   30.5 MB/op    120,010 allocs/op
//	BenchmarkTree/participle      570-585 ms/op  428 MB/op   3,607,630 allocs/op
//	BenchmarkParse (recognizer)    57-74 ms/op   49.0 MB/op    282,630 allocs/op
//
// With participle on the normal path, Parse would take about 600 ms, three
// times the 200 ms target. The parser is built once (package variable
// grammar), not per call. The CPU profile of the participle path: 58 % in
// participle's Parse methods, a quarter of the time in
// parseContext.Branch, which heap-allocates and copies the whole context
// (PeekingLexer included) for every repetition of a group and every
// alternative of a disjunction, i.e. several times per token; most of the
// rest is the garbage collector and its write barriers on those copies.
// What was tried, in the same runs:
//
//   - one token type for all atoms (grammar "@Atom+" instead of a
//     disjunction of seven types), and converting the tree by walking the
//     tokens in order instead of a map: 420-545 ms, 310 MB, 3.2 M allocs;
//   - the same, parsing all balanced chunks in one ParseFromLexer call with
//     the default lookahead of 1: 460-520 ms, 350 MB, 2.9 M allocs;
//   - the lookahead (1 or 2) and the lexer adapter (a slice of prepared
//     tokens: lexer.Upgrade is 2 % of the allocations) do not matter;
//     participle.Elide cannot apply, since separators end items; capturing
//     strings instead of lexer.Token changes nothing, as every reference
//     match already returns a reflect.Value of the token's text.
//
// The cost is per token in participle itself (Branch, reflect captures),
// which its options do not change. So recognize builds the tree of every
// chunk, and participle parses a chunk only when recognize refuses it, to
// report its error. (Every chunk balance returns is in the grammar, so this
// happens only if balance misses a case.) Tests and the fuzzer check that
// both accept the same inputs and build the same tree (checkRecognizer).

// recognize is a hand-written recognizer for the grammar of grammar.go
// (EBNF), building the lowering tree directly from the balanced tokens; it
// takes a few nanoseconds per token.
func recognize(toks []*token) ([]*node, bool) {
	r := recognizer{toks: toks}
	items, ok := r.items(false)
	if !ok || r.i != len(toks) {
		return nil, false
	}
	return items, true
}

// node is an item of the tree lowering reads: a run of atoms and an
// optional block. It mirrors itemNode, with the scanner's tokens.
type node struct {
	atoms []*token
	block *block
}

// block mirrors blockNode.
type block struct {
	open, close *token
	items       []*node
}

type recognizer struct {
	toks []*token
	i    int
}

func isBrace(t *token, b string) bool { return t.kind == tPunct && t.raw == b }

func isAtom(t *token) bool { return t.kind != tSep && !isBrace(t, "{") && !isBrace(t, "}") }

// items reads ( Sep | Item )* up to the end, or up to "}" in a block.
func (r *recognizer) items(inBlock bool) ([]*node, bool) {
	var items []*node
	for r.i < len(r.toks) {
		t := r.toks[r.i]
		switch {
		case t.kind == tSep:
			r.i++
		case isBrace(t, "}"):
			return items, inBlock
		default:
			it, ok := r.item()
			if !ok {
				return nil, false
			}
			items = append(items, it)
		}
	}
	return items, !inBlock
}

// item reads ( Atom+ Block? ) | Block.
func (r *recognizer) item() (*node, bool) {
	start := r.i
	for r.i < len(r.toks) && isAtom(r.toks[r.i]) {
		r.i++
	}
	it := &node{}
	if r.i > start {
		it.atoms = r.toks[start:r.i:r.i]
	}
	if r.i < len(r.toks) && isBrace(r.toks[r.i], "{") {
		open := r.toks[r.i]
		r.i++
		items, ok := r.items(true)
		if !ok || r.i >= len(r.toks) {
			return nil, false
		}
		it.block = &block{open: open, items: items, close: r.toks[r.i]}
		r.i++
	} else if r.i == start {
		return nil, false
	}
	return it, true
}
