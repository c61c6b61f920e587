package lsp

import (
	"slices"
	"strings"
	"sync"

	"github.com/tamis-mss/tamis/parser"
)

// keywords are the keywords of the language, from the parser's tables.
var keywords = sync.OnceValue(parser.Keywords)

// candidate is a keyword that may be written at the cursor. insert is what
// completion writes, from the offset from: the phrase from the word at the
// cursor, or the whole phrase from its first word when the cursor is on
// its second ("copy " → "copy to").
type candidate struct {
	kw     parser.Keyword
	insert string
	from   int
}

// ofClass returns the keywords of the classes, in table order, that are
// allowed in the block opened by opener ("rule", "vacation" or "").
func ofClass(opener string, classes ...parser.Class) []parser.Keyword {
	var out []parser.Keyword
	for _, k := range keywords() {
		if !slices.Contains(classes, k.Class) {
			continue
		}
		// The notes of the form tables say where a form is allowed.
		if opener == "rule" && strings.Contains(k.Note, "absence blocks only") ||
			opener == "vacation" && strings.Contains(k.Note, "rules only") {
			continue
		}
		out = append(out, k)
	}
	return out
}

// word returns the keyword phrase of class, if any.
func word(class parser.Class, phrase string) []parser.Keyword {
	for _, k := range keywords() {
		if k.Class == class && k.Phrase == phrase {
			return []parser.Keyword{k}
		}
	}
	return nil
}

func isClass(t token, class parser.Class) bool {
	return t.kind == tWord && len(word(class, t.text)) > 0
}

// candidates returns the keywords that may be written at c.
func candidates(c cursor) []candidate {
	toks, opener := c.elem, c.opener()
	var kws []parser.Keyword
	switch {
	case len(toks) == 0:
		switch opener {
		case "":
			kws = ofClass(opener, parser.ClassTop)
		case "rule", "vacation":
			kws = ofClass(opener, parser.ClassItem, parser.ClassSetting, parser.ClassAction)
		case "all", "any":
			kws = ofClass(opener, parser.ClassCondition)
		}
	case toks[0].kind != tWord:
	case opener == "all" || opener == "any":
		kws = condCandidates(toks)
	default:
		kws = elementCandidates(toks, opener)
		if len(kws) == 0 && len(toks) == 1 {
			return continuations(toks[0], opener)
		}
	}
	out := make([]candidate, len(kws))
	for i, k := range kws {
		out[i] = candidate{kw: k, insert: k.Phrase, from: c.wordStart}
	}
	return out
}

// elementCandidates returns the words that may follow toks at the top
// level or in a rule or absence block.
func elementCandidates(toks []token, opener string) []parser.Keyword {
	first := toks[0].text
	switch {
	case opener == "" && (first == "rule" || first == "vacation"):
		if len(toks) == 2 && toks[1].kind == tString {
			return word(parser.ClassModifier, "disabled")
		}
	case opener == "":
	case first == "when":
		return condCandidates(toks[1:])
	case first == "every":
		if len(toks) == 2 && toks[1].kind == tValue {
			return ofClass(opener, parser.ClassUnit)
		}
	case opener == "vacation" && first == "from":
		if last := toks[len(toks)-1]; last.kind == tValue && !slices.ContainsFunc(toks, func(t token) bool { return t.text == "until" }) {
			return word(parser.ClassItem, "until")
		}
	}
	return nil
}

// continuations completes a phrase of several words from its first one:
// "copy" → "copy to".
func continuations(first token, opener string) []candidate {
	var classes []parser.Class
	switch opener {
	case "":
		classes = []parser.Class{parser.ClassTop}
	case "rule", "vacation":
		classes = []parser.Class{parser.ClassItem, parser.ClassSetting, parser.ClassAction}
	}
	var out []candidate
	for _, k := range ofClass(opener, classes...) {
		if w, _, ok := strings.Cut(k.Phrase, " "); ok && w == first.text {
			out = append(out, candidate{kw: k, insert: k.Phrase, from: first.start})
		}
	}
	return out
}

// condCandidates returns the words that may follow toks in a condition.
func condCandidates(toks []token) []parser.Keyword {
	if len(toks) == 0 {
		return ofClass("", parser.ClassCondition)
	}
	if toks[0].kind != tWord {
		return nil
	}
	n := len(toks)
	switch toks[0].text {
	case "not":
		return condCandidates(toks[1:])
	case "from", "to", "cc", "bcc", "reply-to":
		return addressTail(toks[1:], false)
	case "sender":
		return addressTail(toks[1:], true)
	case "envelope":
		if n == 1 {
			return ofClass("", parser.ClassEnvelope)
		}
		return addressTail(toks[2:], false)
	case "address":
		if n > 1 {
			return addressTail(toks[2:], false)
		}
	case "subject", "body":
		return matchTail(toks[1:])
	case "header":
		if n > 1 {
			return matchTail(toks[2:])
		}
	case "size":
		if n == 1 {
			return ofClass("", parser.ClassCompare)
		}
	case "message":
		if n == 1 {
			return word(parser.ClassKind, "is")
		}
		if n == 2 && toks[1].text == "is" {
			return ofClass("", parser.ClassMessage)
		}
	case "during":
		if last := toks[n-1]; n == 1 || last.text == "," {
			return ofClass("", parser.ClassDay)
		}
	case "between":
		if last := toks[n-1]; last.kind == tValue && !slices.ContainsFunc(toks, func(t token) bool { return t.text == "and" }) {
			return word(parser.ClassModifier, "and")
		}
	}
	return nil
}

// addressTail returns the words that may follow an address field.
func addressTail(rest []token, sender bool) []parser.Keyword {
	switch {
	case len(rest) == 0:
		return ofClass("", parser.ClassPart, parser.ClassKind)
	case sender && len(rest) == 1 && rest[0].text == "is":
		return append(ofClass("", parser.ClassSender), word(parser.ClassModifier, "any")...)
	case isClass(rest[0], parser.ClassPart):
		return matchTail(rest[1:])
	}
	return matchTail(rest)
}

// matchTail returns the words that may follow in MATCH.
func matchTail(rest []token) []parser.Keyword {
	switch {
	case len(rest) == 0:
		return ofClass("", parser.ClassKind)
	case !isClass(rest[0], parser.ClassKind):
		return nil
	case len(rest) == 1:
		return word(parser.ClassModifier, "any")
	case rest[1].text == "any" && len(rest) == 3, rest[1].text != "any" && len(rest) == 2:
		return word(parser.ClassModifier, "case-sensitive")
	}
	return nil
}
