package parser

import (
	"regexp"
	"strings"
)

// Keyword is one keyword or keyword phrase of the language with its
// documentation, for editors: completion, hover and syntax highlighting.
// Keywords returns them as the form tables (forms.go) and the word tables
// the lowering decodes with define them, so an editor never holds a list of
// its own.
type Keyword struct {
	// Phrase is the keyword as written: "copy to", "is", "mon".
	Phrase string
	// Class says where the keyword is written: one of the Class constants.
	Class Class
	// Syntax is the form it begins in the notation of docs/LANGUAGE.md
	// ("copy to STRING"), or for a word the list it belongs to
	// ("KIND = is | contains | matches | regex").
	Syntax string
	// Note says where the form is allowed when not everywhere in its
	// place ("absence blocks only").
	Note string
	// Example is the form written out, as in the parser's hints; it may
	// be empty for words.
	Example string
	// Doc says what the keyword means, in a few sentences of Markdown.
	Doc string
}

// Class is the place of a keyword in the language.
type Class string

// The classes of keywords. The forms begin an element; the words are
// written inside a form, and their class is the name forms.golden gives
// their list.
const (
	ClassTop       Class = "top level"     // mailbox, also, timezone, rule, vacation
	ClassItem      Class = "block item"    // from, until, when, reply in a rule or absence block
	ClassSetting   Class = "reply setting" // subject, reply-from, every, handle
	ClassAction    Class = "action"        // keep, discard, reroute to…
	ClassCondition Class = "condition"     // always, not, all, from, size…
	ClassKind      Class = "KIND"          // is, contains, matches, regex
	ClassPart      Class = "PART"          // local, domain
	ClassEnvelope  Class = "ENVELOPE"      // from, to after envelope
	ClassSender    Class = "SENDER"        // patient, trusted, untrusted after sender is
	ClassMessage   Class = "MESSAGE"       // auto-reply… after message is
	ClassCompare   Class = "COMPARISON"    // over, under
	ClassUnit      Class = "UNIT"          // day, days, hour…
	ClassDay       Class = "DAY"           // mon … sun
	ClassModifier  Class = "modifier"      // the other words of forms: disabled, and, any, case-sensitive
)

// IsForm reports whether keywords of class c begin an element.
func (c Class) IsForm() bool {
	switch c {
	case ClassTop, ClassItem, ClassSetting, ClassAction, ClassCondition:
		return true
	}
	return false
}

// Keywords returns every keyword of the language: the forms in the order of
// forms.golden (top level, block items, reply settings, actions,
// conditions), then the words of each list, then the modifiers. A word
// written in several places ("from", "subject", "any") appears once per
// place. The slice is new at each call.
func Keywords() []Keyword {
	var out []Keyword
	// The usage hints are by first word; a word that begins forms in
	// several places (from, subject) has the hint of its condition.
	places := map[string]int{}
	for _, t := range [][]form[struct{}]{shapes(topForms), shapes(itemForms), shapes(settingForms), shapes(actionForms), shapes(condForms)} {
		seen := map[string]bool{}
		for _, f := range t {
			if first, _, _ := strings.Cut(f.phrase, " "); !seen[first] {
				seen[first] = true
				places[first]++
			}
		}
	}
	addForms := func(class Class, forms []form[struct{}]) {
		for _, f := range forms {
			syntax := f.phrase
			if f.args != "" {
				syntax += " " + f.args
			}
			if len(out) > 0 && out[len(out)-1].Phrase == f.phrase && out[len(out)-1].Class == class {
				continue
			}
			first, _, _ := strings.Cut(f.phrase, " ")
			example := usage[first]
			if places[first] > 1 && class != ClassCondition {
				example = ""
			}
			out = append(out, Keyword{Phrase: f.phrase, Class: class, Syntax: syntax, Note: f.note,
				Example: example, Doc: keywordDoc(class, f.phrase)})
		}
	}
	addForms(ClassTop, shapes(topForms))
	addForms(ClassItem, shapes(itemForms))
	addForms(ClassSetting, shapes(settingForms))
	addForms(ClassAction, shapes(actionForms))
	addForms(ClassCondition, shapes(condForms))

	for _, list := range wordLists() {
		syntax := string(list.class) + " = " + strings.Join(list.words, " | ")
		for _, w := range list.words {
			out = append(out, Keyword{Phrase: w, Class: list.class, Syntax: syntax, Doc: keywordDoc(list.class, w)})
		}
	}
	for _, w := range modifiers() {
		out = append(out, Keyword{Phrase: w, Class: ClassModifier, Syntax: modifierSyntax[w], Doc: keywordDoc(ClassModifier, w)})
	}
	return out
}

// shapes drops the decoders of a table, so that the tables of different
// decoder types can be listed alike.
func shapes[D any](t *formTable[D]) []form[struct{}] {
	out := make([]form[struct{}], len(t.forms))
	for i, f := range t.forms {
		out[i] = form[struct{}]{phrase: f.phrase, args: f.args, note: f.note}
	}
	return out
}

type wordList struct {
	class Class
	words []string
}

// wordLists are the word tables the lowering decodes with, as forms.golden
// prints them.
func wordLists() []wordList {
	return []wordList{
		{ClassKind, keysByValue(matchKinds)},
		{ClassPart, keysByValue(addressParts)},
		{ClassEnvelope, keysByValue(envelopeFields)},
		{ClassSender, keysByValue(senderPredicates)},
		{ClassMessage, keysByValue(messagePredicates)},
		{ClassCompare, sortedKeys(sizeComparisons)},
		{ClassUnit, keysByValue(units)},
		{ClassDay, append(dayNames[1:7:7], dayNames[0])},
	}
}

// quotedWord finds the literal words of a form's arguments: "disabled" in
// STRING ["disabled"] "{" …, "and" in DATE [TIME] "and" DATE [TIME].
var quotedWord = regexp.MustCompile(`"([a-z][a-z-]*)"`)

// modifiers are the words written inside forms that no word list holds:
// the quoted words of the forms' arguments and the words of MATCH.
func modifiers() []string {
	listed := map[string]bool{}
	for _, l := range wordLists() {
		for _, w := range l.words {
			listed[w] = true
		}
	}
	var out []string
	add := func(w string) {
		if !listed[w] {
			listed[w] = true
			out = append(out, w)
		}
	}
	for _, t := range [][]form[struct{}]{shapes(topForms), shapes(itemForms), shapes(settingForms), shapes(actionForms), shapes(condForms)} {
		for _, f := range t {
			for _, m := range quotedWord.FindAllStringSubmatch(f.args, -1) {
				add(m[1])
			}
		}
	}
	add(matchAny)
	add(caseSensitive)
	return out
}

// modifierSyntax shows where each modifier is written.
var modifierSyntax = map[string]string{
	"disabled":    `rule STRING ["disabled"] { … }`,
	"and":         `between DATE [TIME] "and" DATE [TIME]`,
	matchAny:      `KIND any LIST`,
	caseSensitive: `KIND VALUE [case-sensitive]`,
}

// keywordDoc returns the documentation of a keyword: its own, else its
// class's (the units, the days).
func keywordDoc(class Class, phrase string) string {
	if d, ok := keywordDocs[string(class)+":"+phrase]; ok {
		return d
	}
	return keywordDocs[string(class)+":"]
}
