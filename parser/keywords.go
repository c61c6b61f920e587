package parser

import (
	"regexp"
	"strings"
)

// Keyword is one keyword or keyword phrase of the language with its
// documentation, for editors: completion, hover and syntax highlighting.
// Keywords returns them from the table of forms below and the word tables
// lowering decodes with, so an editor never holds a list of its own.
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
// written inside a form, and their class names their list.
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

// form is one form of an element, as editors show it: the keywords that
// begin it, what follows them in the notation of docs/LANGUAGE.md, and
// where it is allowed when not everywhere in its place.
type form struct {
	class              Class
	phrase, args, note string
}

// forms documents the forms of the language, in the order of the
// grammar's places. The grammar (grammar.go) is what parses;
// TestKeywordsFollowGrammar checks that both agree.
var forms = func() []form {
	const statement = `STRING ["disabled"] "{" (ITEM | ACTION | SETTING)… "}"`
	const address = "[PART] MATCH"
	return []form{
		{ClassTop, "mailbox", "STRING", "at most once"},
		{ClassTop, "also", "STRING | LIST", ""},
		{ClassTop, "timezone", "STRING", "at most once"},
		{ClassTop, "rule", statement, ""},
		{ClassTop, "vacation", statement, "an absence block"},
		{ClassItem, "from", "DATE [TIME] [until DATE [TIME]]", "absence blocks only"},
		{ClassItem, "until", "DATE [TIME]", "absence blocks only"},
		{ClassItem, "when", "COND", "at most once"},
		{ClassItem, "reply", "STRING", "at most once; required in absence blocks"},
		{ClassSetting, "subject", "STRING", ""},
		{ClassSetting, "reply-from", "STRING", ""},
		{ClassSetting, "every", "NUMBER UNIT", ""},
		{ClassSetting, "handle", "STRING", ""},
		{ClassAction, "keep", "", ""},
		{ClassAction, "discard", "", ""},
		{ClassAction, "reject", "STRING", "rules only"},
		{ClassAction, "reroute to", "STRING", ""},
		{ClassAction, "copy to", "STRING", ""},
		{ClassAction, "file into", "STRING", ""},
		{ClassAction, "flag", "STRING | LIST", ""},
		{ClassAction, "notify", `STRING ["saying" STRING] ["at" "most" "once" "per" [NUMBER] UNIT]`, ""},
		{ClassAction, "stop", "", ""},
		{ClassCondition, "always", "", ""},
		{ClassCondition, "not", "COND", ""},
		{ClassCondition, "all", `"{" COND… "}"`, ""},
		{ClassCondition, "any", `"{" COND… "}"`, ""},
		{ClassCondition, "from", address, ""},
		{ClassCondition, "to", address, ""},
		{ClassCondition, "cc", address, ""},
		{ClassCondition, "bcc", address, ""},
		{ClassCondition, "sender", address + ` | "is" SENDER`, ""},
		{ClassCondition, "reply-to", address, ""},
		{ClassCondition, "envelope", "ENVELOPE " + address, ""},
		{ClassCondition, "address", "(STRING | LIST) " + address, ""},
		{ClassCondition, "subject", "MATCH", ""},
		{ClassCondition, "header", "(STRING | LIST) MATCH", ""},
		{ClassCondition, "body", "MATCH", ""},
		{ClassCondition, "exists", "STRING | LIST", ""},
		{ClassCondition, "size", "COMPARISON SIZE", ""},
		{ClassCondition, "message", `"is" MESSAGE`, ""},
		{ClassCondition, "during", `DAYS TIME "-" TIME ("," DAYS TIME "-" TIME)…`, ""},
		{ClassCondition, "between", `DATE [TIME] "and" DATE [TIME]`, ""},
	}
}()

// phrasesOf returns the phrases of the forms of class c, in order.
func phrasesOf(c Class) []string {
	var out []string
	for _, f := range forms {
		if f.class == c {
			out = append(out, f.phrase)
		}
	}
	return out
}

// Keywords returns every keyword of the language: the forms in the order of
// the grammar's places (top level, block items, reply settings, actions,
// conditions), then the words of each list, then the modifiers. A word
// written in several places ("from", "subject", "any") appears once per
// place. The slice is new at each call.
func Keywords() []Keyword {
	var out []Keyword
	// The usage hints are by first word; a word that begins forms in
	// several places (from, subject) has the hint of its condition.
	places := map[string]map[Class]bool{}
	for _, f := range forms {
		first, _, _ := strings.Cut(f.phrase, " ")
		if places[first] == nil {
			places[first] = map[Class]bool{}
		}
		places[first][f.class] = true
	}
	for _, f := range forms {
		syntax := f.phrase
		if f.args != "" {
			syntax += " " + f.args
		}
		first, _, _ := strings.Cut(f.phrase, " ")
		example := usage[first]
		if len(places[first]) > 1 && f.class != ClassCondition {
			example = ""
		}
		out = append(out, Keyword{Phrase: f.phrase, Class: f.class, Syntax: syntax, Note: f.note,
			Example: example, Doc: keywordDoc(f.class, f.phrase)})
	}
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

type wordList struct {
	class Class
	words []string
}

// wordLists are the word tables lowering decodes with.
func wordLists() []wordList {
	return []wordList{
		{ClassKind, keysByValue(matchKinds)},
		{ClassPart, keysByValue(addressParts)},
		{ClassEnvelope, keysByValue(envelopeFields)},
		{ClassSender, keysByValue(senderPredicates)},
		{ClassMessage, keysByValue(messagePredicates)},
		{ClassCompare, []string{"over", "under"}},
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
	for _, f := range forms {
		for _, m := range quotedWord.FindAllStringSubmatch(f.args, -1) {
			add(m[1])
		}
	}
	add("any")
	add("case-sensitive")
	return out
}

// modifierSyntax shows where each modifier is written.
var modifierSyntax = map[string]string{
	"disabled":       `rule STRING ["disabled"] { … }`,
	"and":            `between DATE [TIME] "and" DATE [TIME]`,
	"saying":         `notify STRING ["saying" STRING]`,
	"at":             `notify STRING ["at" "most" "once" "per" [NUMBER] UNIT]`,
	"most":           `notify STRING ["at" "most" "once" "per" [NUMBER] UNIT]`,
	"once":           `notify STRING ["at" "most" "once" "per" [NUMBER] UNIT]`,
	"per":            `notify STRING ["at" "most" "once" "per" [NUMBER] UNIT]`,
	"any":            `KIND any LIST`,
	"case-sensitive": `KIND VALUE [case-sensitive]`,
}

// keywordDoc returns the documentation of a keyword: its own, else its
// class's (the units, the days).
func keywordDoc(class Class, phrase string) string {
	if d, ok := keywordDocs[string(class)+":"+phrase]; ok {
		return d
	}
	return keywordDocs[string(class)+":"]
}
