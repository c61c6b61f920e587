package parser

import "github.com/alecthomas/participle/v2/lexer"

// recognize is a hand-written recognizer for the grammar of grammar.go
// (EBNF), building the same tree. Participle spends about 1.5 µs and
// several allocations per token on backtracking contexts, too slow for the
// 10,000-rule target; this runs in well under 0.1 µs per token. It only
// handles inputs the grammar accepts: when it fails, the chunk is parsed by
// participle, whose error is reported. Tests and the fuzzer check that both
// build the same tree for every input (TestRecognizeMatchesParticiple,
// FuzzParse).
func recognize(toks []lexer.Token) (*fileNode, bool) {
	r := recognizer{toks: toks}
	items, ok := r.items(false)
	if !ok || r.i != len(toks) {
		return nil, false
	}
	return &fileNode{Items: items}, true
}

type recognizer struct {
	toks []lexer.Token
	i    int
}

var (
	sepType   = symbol(tSep)
	braceType = symbol(tBrace)
)

func isAtom(t lexer.TokenType) bool { return t != sepType && t != braceType && t != lexer.EOF }

// items reads ( Sep | Item )* up to the end, or up to "}" in a block.
func (r *recognizer) items(inBlock bool) ([]*itemNode, bool) {
	var items []*itemNode
	for r.i < len(r.toks) {
		t := &r.toks[r.i]
		switch {
		case t.Type == sepType:
			r.i++
		case t.Type == braceType && t.Value == "}":
			return items, inBlock
		case t.Type == lexer.EOF:
			return items, !inBlock
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
func (r *recognizer) item() (*itemNode, bool) {
	start := r.i
	for r.i < len(r.toks) && isAtom(r.toks[r.i].Type) {
		r.i++
	}
	it := &itemNode{}
	if r.i > start {
		it.Atoms = r.toks[start:r.i:r.i]
	}
	if r.i < len(r.toks) && r.toks[r.i].Type == braceType && r.toks[r.i].Value == "{" {
		open := r.toks[r.i]
		r.i++
		items, ok := r.items(true)
		if !ok || r.i >= len(r.toks) {
			return nil, false
		}
		it.Block = &blockNode{Open: open, Items: items, Close: r.toks[r.i]}
		r.i++
	} else if r.i == start {
		return nil, false
	}
	return it, true
}
