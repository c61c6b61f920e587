package parser

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tamis-mss/tamis/rules"
)

// The keywords and phrases known in each place, for "did you mean", taken
// from the form tables (forms.go).
var (
	topPhrases, rulePhrases, vacationPhrases, condPhrases []string
)

func initPhrases() {
	topPhrases = topForms.phrases()
	actionPhrases := actionForms.phrases()
	replyPhrases := concat([]string{"reply"}, settingForms.phrases())
	rulePhrases = concat([]string{"when"}, actionPhrases, replyPhrases)
	// In an absence block the windows, then the reply and its settings come
	// first.
	vacationPhrases = concat([]string{"from", "until", "when"}, replyPhrases, actionPhrases)
	// Conditions: the phrases of the forms, with the words that complete
	// envelope, size, sender is and message is.
	for _, p := range condForms.phrases() {
		switch p {
		case "envelope":
			for _, w := range sortedKeys(envelopeFields) {
				condPhrases = append(condPhrases, p+" "+w)
			}
		case "size":
			for _, w := range sortedKeys(sizeComparisons) {
				condPhrases = append(condPhrases, p+" "+w)
			}
		case "message":
			// The predicates, sender's included, in their order.
			for _, w := range keysByValue(senderPredicates) {
				condPhrases = append(condPhrases, "sender is "+w)
			}
			for _, w := range keysByValue(messagePredicates) {
				condPhrases = append(condPhrases, p+" is "+w)
			}
		default:
			condPhrases = append(condPhrases, p)
		}
	}
}

func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// unknown reports an item whose first word is not a keyword of the place,
// suggesting the nearest known phrase.
func (l *lowerer) unknown(it item, phrases []string, where string) {
	first := it.atoms[0]
	if first.word() == "" {
		l.report(rules.CodeSyntax, l.rangeOf(first), "an element starts with a keyword, such as "+listWords(phrases),
			"expected a keyword, found %s", l.text(first))
		return
	}
	best, bestDist, bestWords := "", 1<<30, 1
	for _, p := range phrases {
		n := strings.Count(p, " ") + 1
		if n > len(it.atoms) {
			n = len(it.atoms)
		}
		var words []string
		for _, a := range it.atoms[:n] {
			if a.word() == "" {
				break
			}
			words = append(words, a.word())
		}
		// A phrase written as one word ("fileinto").
		if len(words) > 0 && strings.Contains(p, " ") {
			target := strings.ReplaceAll(p, " ", "")
			if d := distance(words[0], target); d <= threshold(target) && d < bestDist {
				best, bestDist, bestWords = p, d, 1
			}
		}
		// Compare the phrase with as many of the item's words, and its
		// first word with the item's first word.
		for k := len(words); k >= 1; k-- {
			cand := strings.Join(words[:k], " ")
			target := p
			if k < strings.Count(p, " ")+1 {
				target = strings.Join(strings.Fields(p)[:k], " ")
			}
			d := distance(cand, target)
			if d <= threshold(target) && (d < bestDist || d == bestDist && k > bestWords) {
				best, bestDist, bestWords = p, d, k
			}
		}
	}
	hint := "expected " + listWords(phrases)
	if best != "" {
		hint = fmt.Sprintf("did you mean %q?", best)
	}
	l.report(rules.CodeUnknownKeyword, l.rangeOf(first), hint, "unknown keyword %q %s", first.word(), where)
}

func listWords(phrases []string) string {
	return strings.Join(phrases, ", ")
}

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
