package parser

// recognize is a hand-written recognizer for the grammar of grammar.go
// (EBNF), building the lowering tree directly from the balanced tokens.
// Participle spends about 1.5 µs and several allocations per token on
// backtracking contexts, too slow for the 10,000-rule target; this takes a
// few nanoseconds per token. When it refuses a chunk, participle parses the
// chunk and its error is reported. Tests and the fuzzer check that both
// accept the same inputs and build the same tree (checkRecognizer).
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
