package parser

import (
	"runtime"
	"sort"
	"sync"
	"weak"

	"github.com/tamis-mss/tamis/rules"
)

// blankLines holds, for each policy Parse returned and that is still in
// use, the numbers of the blank lines of its source (in order), so that
// Format keeps the blank lines the author wrote. Ranges alone cannot tell a
// blank line from a line holding only a brace in another language's source
// (a policy imported from Sieve keeps the Sieve positions). The entry goes
// away with the policy.
var blankLines sync.Map // weak.Pointer[rules.Policy] → []int

// rememberBlankLines records the blank lines of src, the source of p.
func rememberBlankLines(p *rules.Policy, src []byte) {
	var lines []int
	line, blank := 1, true
	for _, c := range src {
		switch c {
		case '\n':
			if blank {
				lines = append(lines, line)
			}
			line, blank = line+1, true
		case ' ', '\t', '\r':
		default:
			blank = false
		}
	}
	if len(lines) == 0 {
		return
	}
	key := weak.Make(p)
	blankLines.Store(key, lines)
	runtime.AddCleanup(p, func(k weak.Pointer[rules.Policy]) { blankLines.Delete(k) }, key)
}

// blankLinesOf returns the blank lines of the source Parse read p from, or
// nil.
func blankLinesOf(p *rules.Policy) []int {
	if v, ok := blankLines.Load(weak.Make(p)); ok {
		return v.([]int)
	}
	return nil
}

// blankBetween reports whether one of the sorted lines lies strictly
// between the lines after and before.
func blankBetween(lines []int, after, before int) bool {
	i := sort.SearchInts(lines, after+1)
	return i < len(lines) && lines[i] < before
}
