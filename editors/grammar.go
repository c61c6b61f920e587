package editors

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"github.com/tamis-mss/tamis/parser"
)

// rule is a TextMate grammar rule.
type rule struct {
	Comment       string             `json:"comment,omitempty"`
	Name          string             `json:"name,omitempty"`
	Match         string             `json:"match,omitempty"`
	Begin         string             `json:"begin,omitempty"`
	End           string             `json:"end,omitempty"`
	Captures      map[string]capture `json:"captures,omitempty"`
	BeginCaptures map[string]capture `json:"beginCaptures,omitempty"`
	EndCaptures   map[string]capture `json:"endCaptures,omitempty"`
	Patterns      []rule             `json:"patterns,omitempty"`
	Include       string             `json:"include,omitempty"`
}

type capture struct {
	Name string `json:"name"`
}

type grammar struct {
	Schema     string          `json:"$schema"`
	Comment    string          `json:"comment"`
	Name       string          `json:"name"`
	ScopeName  string          `json:"scopeName"`
	FileTypes  []string        `json:"fileTypes"`
	Patterns   []rule          `json:"patterns"`
	Repository map[string]rule `json:"repository"`
}

// The scopes of the grammar. Scope names follow the TextMate conventions
// that editor themes color.
const (
	ScopeComment     = "comment.line.number-sign.tamis"
	ScopeString      = "string.quoted.double.tamis"
	ScopeTextBlock   = "string.quoted.triple.tamis"
	ScopeEscape      = "constant.character.escape.tamis"
	ScopeBadEscape   = "invalid.illegal.escape.tamis"
	ScopeDate        = "constant.numeric.date.tamis"
	ScopeTime        = "constant.numeric.time.tamis"
	ScopeSize        = "constant.numeric.size.tamis"
	ScopeNumber      = "constant.numeric.integer.tamis"
	ScopeDirective   = "keyword.other.directive.tamis"
	ScopeStatement   = "storage.type.statement.tamis"
	ScopeItem        = "keyword.control.item.tamis"
	ScopeSetting     = "keyword.other.setting.tamis"
	ScopeAction      = "support.function.action.tamis"
	ScopeLogical     = "keyword.control.logical.tamis"
	ScopeTest        = "support.type.test.tamis"
	ScopeOperator    = "keyword.operator.tamis"
	ScopePart        = "storage.modifier.part.tamis"
	ScopePredicate   = "constant.language.predicate.tamis"
	ScopeUnit        = "keyword.other.unit.tamis"
	ScopeDay         = "constant.language.day.tamis"
	ScopeModifier    = "storage.modifier.tamis"
	ScopeBlock       = "punctuation.section.block.tamis"
	ScopeList        = "punctuation.section.list.tamis"
	ScopeSeparator   = "punctuation.separator.tamis"
	ScopeTerminator  = "punctuation.terminator.tamis"
	ScopeCondition   = "meta.condition.tamis"
	scopeCommentMark = "punctuation.definition.comment.tamis"
	scopeQuoteBegin  = "punctuation.definition.string.begin.tamis"
	scopeQuoteEnd    = "punctuation.definition.string.end.tamis"
)

// ScopeOf returns the scope of a keyword: by its class, and for the forms
// that begin with a top-level word or a condition, by what they do.
func ScopeOf(k parser.Keyword) string {
	switch k.Class {
	case parser.ClassTop:
		if strings.Contains(k.Syntax, "{") {
			return ScopeStatement
		}
		return ScopeDirective
	case parser.ClassItem:
		return ScopeItem
	case parser.ClassSetting:
		return ScopeSetting
	case parser.ClassAction:
		return ScopeAction
	case parser.ClassCondition:
		// The connectives take conditions: not COND, all { COND… }.
		if strings.Contains(k.Syntax, "COND") {
			return ScopeLogical
		}
		return ScopeTest
	case parser.ClassKind, parser.ClassCompare:
		return ScopeOperator
	case parser.ClassPart:
		return ScopePart
	case parser.ClassEnvelope:
		return ScopeTest
	case parser.ClassSender, parser.ClassMessage:
		return ScopePredicate
	case parser.ClassUnit:
		return ScopeUnit
	case parser.ClassDay:
		return ScopeDay
	case parser.ClassModifier:
		if k.Phrase == "disabled" {
			return ScopeModifier
		}
		return ScopeOperator
	}
	return ""
}

// conditionClasses are the classes of the words written in conditions,
// after when: the grammar scopes them only there, so that "from" is a test
// in a condition and a window elsewhere.
var conditionClasses = []parser.Class{
	parser.ClassCondition, parser.ClassKind, parser.ClassPart, parser.ClassEnvelope,
	parser.ClassSender, parser.ClassMessage, parser.ClassCompare, parser.ClassDay,
}

// inCondition reports whether k is written in conditions. The modifiers
// of notify (saying, at most once per) are written in an action.
func inCondition(k parser.Keyword) bool {
	return slices.Contains(conditionClasses, k.Class) ||
		k.Class == parser.ClassModifier && k.Phrase != "disabled" && !strings.HasPrefix(k.Syntax, "notify ")
}

// conditionWord reports whether k is scoped as a word in conditions: the
// groups (all { … }, any { … }) are scoped with their brace, so that "any"
// before a list is the match's.
func conditionWord(k parser.Keyword) bool {
	return inCondition(k) && !(k.Class == parser.ClassCondition && strings.Contains(k.Syntax, `"{"`))
}

// wordRegexp matches any of the phrases as whole words; the words of a
// phrase are separated by blanks.
func wordRegexp(phrases []string) string {
	// Longest first, so that a phrase wins over its first word.
	phrases = slices.Clone(phrases)
	slices.SortStableFunc(phrases, func(a, b string) int { return len(b) - len(a) })
	alts := make([]string, len(phrases))
	for i, p := range phrases {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		alts[i] = strings.Join(words, `\s+`)
	}
	return `(?<![\w-])(?:` + strings.Join(alts, "|") + `)(?![\w-])`
}

// keywordRules returns one rule per scope for the keywords that pass keep,
// in the order of their first keyword.
func keywordRules(keep func(parser.Keyword) bool) []rule {
	var scopes []string
	phrases := map[string][]string{}
	for _, k := range parser.Keywords() {
		if !keep(k) || k.Class == parser.ClassDay {
			continue
		}
		s := ScopeOf(k)
		if _, ok := phrases[s]; !ok {
			scopes = append(scopes, s)
		}
		if !slices.Contains(phrases[s], k.Phrase) {
			phrases[s] = append(phrases[s], k.Phrase)
		}
	}
	var out []rule
	for _, s := range scopes {
		out = append(out, rule{Name: s, Match: wordRegexp(phrases[s])})
	}
	return out
}

// Grammar returns the TextMate grammar of the language, as indented JSON.
func Grammar() []byte {
	var days []string
	for _, k := range parser.Keywords() {
		if k.Class == parser.ClassDay {
			days = append(days, regexp.QuoteMeta(k.Phrase))
		}
	}
	day := `(?:` + strings.Join(days, "|") + `)`
	g := grammar{
		Schema:    "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
		Comment:   "Generated from the parser's keyword tables by go test ./editors -run TestGrammarFile -update; do not edit.",
		Name:      "tamis",
		ScopeName: "source.tamis",
		FileTypes: []string{"rules"},
		Patterns: []rule{
			{Include: "#comment"}, {Include: "#text-block"}, {Include: "#string"},
			{Include: "#condition"}, {Include: "#statement-keywords"}, {Include: "#values"}, {Include: "#punctuation"},
		},
		Repository: map[string]rule{
			"comment": {Match: `(#).*$`, Name: ScopeComment, Captures: map[string]capture{"1": {scopeCommentMark}}},
			"text-block": {
				Comment: `""" then lines of text up to the closing """; no escapes`,
				Name:    ScopeTextBlock, Begin: `"""`, End: `"""`,
				BeginCaptures: map[string]capture{"0": {scopeQuoteBegin}},
				EndCaptures:   map[string]capture{"0": {scopeQuoteEnd}},
			},
			"string": {
				Comment: "a string ends at its closing quote, or unterminated at the end of the line",
				Name:    ScopeString, Begin: `"`, End: `(")|$`,
				BeginCaptures: map[string]capture{"0": {scopeQuoteBegin}},
				EndCaptures:   map[string]capture{"1": {scopeQuoteEnd}},
				Patterns: []rule{
					{Name: ScopeEscape, Match: `\\(?:["\\nt]|u\{[0-9A-Fa-f]{1,6}\})`},
					{Name: ScopeBadEscape, Match: `\\.?`},
				},
			},
			"condition": {
				Comment: "when, then a condition up to the end of the line (all { … } and any { … } may span lines)",
				Name:    ScopeCondition,
				Begin:   `(?<![\w-])(when)(?![\w-])`, End: `(?=[;}])|$`,
				BeginCaptures: map[string]capture{"1": {ScopeItem}},
				Patterns:      []rule{{Include: "#condition-body"}},
			},
			"condition-body": {
				Patterns: slices.Concat(
					[]rule{
						{Include: "#comment"}, {Include: "#text-block"}, {Include: "#string"},
						{
							Comment: "a group of conditions, on several lines",
							Begin:   `(?<![\w-])(all|any)\s*(\{)`, End: `\}`,
							BeginCaptures: map[string]capture{"1": {ScopeLogical}, "2": {ScopeBlock}},
							EndCaptures:   map[string]capture{"0": {ScopeBlock}},
							Patterns:      []rule{{Include: "#condition-body"}},
						},
						{
							Comment:  "a day, or a range of days as one word: mon-fri",
							Match:    `(?<![\w-])(` + day + `)(?:(-)(` + day + `))?(?![\w-])`,
							Captures: map[string]capture{"1": {ScopeDay}, "2": {ScopeSeparator}, "3": {ScopeDay}},
						},
					},
					keywordRules(conditionWord),
					[]rule{{Include: "#values"}, {Include: "#punctuation"}},
				),
			},
			"statement-keywords": {Patterns: keywordRules(func(k parser.Keyword) bool { return !inCondition(k) })},
			"values": {Patterns: []rule{
				{Name: ScopeDate, Match: `(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])`},
				{Name: ScopeTime, Match: `(?<![\w:])\d{1,2}:\d{2}(?![\w:])`},
				{Name: ScopeSize, Match: `(?<![\w-])\d+[KMG](?![\w-])`},
				{Name: ScopeNumber, Match: `(?<![\w-])\d+(?![\w-])`},
			}},
			"punctuation": {Patterns: []rule{
				{Name: ScopeBlock, Match: `[{}]`},
				{Name: ScopeList, Match: `[\[\]]`},
				{Name: ScopeSeparator, Match: `[,+-]`},
				{Name: ScopeTerminator, Match: `;`},
			}},
		},
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(g); err != nil {
		panic(err) // the grammar is made of strings
	}
	return b.Bytes()
}
