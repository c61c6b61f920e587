package parser

import "sort"

// blankLinesOf returns the numbers of the blank lines of src, in order.
func blankLinesOf(src []byte) []int {
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
	return lines
}

// blankBetween reports whether one of the sorted lines lies strictly
// between the lines after and before.
func blankBetween(lines []int, after, before int) bool {
	i := sort.SearchInts(lines, after+1)
	return i < len(lines) && lines[i] < before
}
