package parser

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"
)

// suggest returns the candidate nearest to s within the edit threshold, or
// "". fold compares case-insensitively.
func suggest(s string, candidates []string, fold bool) string {
	best, bestDist := "", 1<<30
	for _, c := range candidates {
		a, b := s, c
		if fold {
			a, b = strings.ToLower(a), strings.ToLower(b)
		}
		d := distance(a, b)
		if d <= threshold(c) && (d < bestDist || d == bestDist && c < best) {
			best, bestDist = c, d
		}
	}
	return best
}

// suggestPhrase returns the phrase nearest to the words of an element
// (comparing as many words as the phrase has, or the first word with a
// phrase written as one word: "fileinto"), or "".
func suggestPhrase(words []string, phrases []string) string {
	best, bestDist, bestWords := "", 1<<30, 1
	for _, p := range phrases {
		pw := strings.Fields(p)
		if len(pw) > 1 {
			target := strings.Join(pw, "")
			if d := distance(words[0], target); d <= threshold(target) && d < bestDist {
				best, bestDist, bestWords = p, d, 1
			}
		}
		for k := min(len(words), len(pw)); k >= 1; k-- {
			target := strings.Join(pw[:k], " ")
			d := distance(strings.Join(words[:k], " "), target)
			if d <= threshold(target) && (d < bestDist || d == bestDist && k > bestWords) {
				best, bestDist, bestWords = p, d, k
			}
		}
	}
	return best
}

// threshold is the largest edit distance still taken for a typo of s.
func threshold(s string) int {
	n := utf8.RuneCountInString(s)
	switch {
	case n <= 3:
		return 1
	case n <= 9:
		return 2
	}
	return n / 4
}

// distance is the Levenshtein distance between a and b, in characters.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := mapKeys(m)
	slices.Sort(keys)
	return keys
}

// keysByValue returns the keys of m in the order of their values, then of
// the keys.
func keysByValue[V cmp.Ordered](m map[string]V) []string {
	keys := mapKeys(m)
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(m[a], m[b]), cmp.Compare(a, b)) })
	return keys
}
