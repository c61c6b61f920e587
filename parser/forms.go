package parser

import (
	"strings"

	"github.com/tamis-mss/tamis/rules"
)

// The forms of the language. Lowering dispatches every item on these tables
// by its first word, so they are the definition of what the language
// accepts in each place; testdata/forms.golden is printed from them (see
// TestForms), so that adding or renaming a keyword shows in review.

// form is one form of an element: the keywords that begin it, what follows
// them, and the function that decodes it.
type form[D any] struct {
	phrase string // the keywords that begin the form: "copy to"
	args   string // what follows the phrase, in the notation of docs/LANGUAGE.md
	note   string // where it is allowed, when not everywhere in its place
	decode D
}

type (
	topDecoder    = func(l *lowerer, it item)
	itemDecoder   = func(l *lowerer, b *bodyResult, it item)
	actionDecoder = func(l *lowerer, phrase string, it item, node rules.Node) rules.Action
	condDecoder   = func(l *lowerer, it item, node rules.Node, depth int) rules.Condition
	actionForm    = form[actionDecoder]
)

// formTable is a list of forms with an index by first word.
type formTable[D any] struct {
	forms   []form[D]
	byFirst map[string]*form[D]
}

func newTable[D any](forms ...form[D]) *formTable[D] {
	t := &formTable[D]{forms: forms, byFirst: make(map[string]*form[D], len(forms))}
	for i := range t.forms {
		w, _, _ := strings.Cut(t.forms[i].phrase, " ")
		if _, dup := t.byFirst[w]; !dup {
			t.byFirst[w] = &t.forms[i]
		}
	}
	return t
}

// find returns the form that begins with the word w, or nil.
func (t *formTable[D]) find(w string) *form[D] { return t.byFirst[w] }

// phrases returns the phrases of the forms, in order, without repeats.
func (t *formTable[D]) phrases() []string {
	var out []string
	for _, f := range t.forms {
		if len(out) == 0 || out[len(out)-1] != f.phrase {
			out = append(out, f.phrase)
		}
	}
	return out
}

var (
	// topForms are the elements of the top level of a file.
	topForms *formTable[topDecoder]
	// itemForms are the elements of a rule or absence block other than
	// actions and reply settings.
	itemForms *formTable[itemDecoder]
	// settingForms are the reply settings, allowed in a block with reply.
	settingForms *formTable[itemDecoder]
	// actionForms are the actions.
	actionForms *formTable[actionDecoder]
	// condForms are the conditions, after when, not, and in all and any.
	condForms *formTable[condDecoder]
)

// The tables are built in init: their decoders refer to the tables.
func init() {
	const statement = `STRING ["disabled"] "{" (ITEM | ACTION | SETTING)… "}"`
	topForms = newTable(
		form[topDecoder]{phrase: "mailbox", args: "STRING", note: "at most once", decode: (*lowerer).topMailbox},
		form[topDecoder]{phrase: "also", args: "STRING | LIST", decode: (*lowerer).topAlso},
		form[topDecoder]{phrase: "timezone", args: "STRING", note: "at most once", decode: (*lowerer).topTimezone},
		form[topDecoder]{phrase: "rule", args: statement, decode: (*lowerer).statement},
		form[topDecoder]{phrase: "vacation", args: statement, note: "an absence block", decode: (*lowerer).statement},
	)
	itemForms = newTable(
		form[itemDecoder]{phrase: "from", args: "DATE [TIME] [until DATE [TIME]]", note: "absence blocks only", decode: (*lowerer).bodyWindow},
		form[itemDecoder]{phrase: "until", args: "DATE [TIME]", note: "absence blocks only", decode: (*lowerer).bodyWindow},
		form[itemDecoder]{phrase: "when", args: "COND", note: "at most once", decode: (*lowerer).bodyWhen},
		form[itemDecoder]{phrase: "reply", args: "STRING", note: "at most once; required in absence blocks", decode: (*lowerer).bodyReply},
	)
	settingForms = newTable(
		form[itemDecoder]{phrase: "subject", args: "STRING", decode: (*lowerer).settingSubject},
		form[itemDecoder]{phrase: "reply-from", args: "STRING", decode: (*lowerer).settingFrom},
		form[itemDecoder]{phrase: "every", args: "NUMBER UNIT", decode: (*lowerer).settingEvery},
		form[itemDecoder]{phrase: "handle", args: "STRING", decode: (*lowerer).settingHandle},
	)
	actionForms = newTable(
		actionForm{phrase: "keep", decode: (*lowerer).actionWord},
		actionForm{phrase: "discard", decode: (*lowerer).actionWord},
		actionForm{phrase: "reject", args: "STRING", note: "rules only", decode: (*lowerer).actionReject},
		actionForm{phrase: "reroute to", args: "STRING", decode: (*lowerer).actionTarget},
		actionForm{phrase: "copy to", args: "STRING", decode: (*lowerer).actionTarget},
		actionForm{phrase: "file into", args: "STRING", decode: (*lowerer).actionTarget},
		actionForm{phrase: "flag", args: "STRING | LIST", decode: (*lowerer).actionFlag},
		actionForm{phrase: "stop", decode: (*lowerer).actionWord},
	)
	const address = "[PART] MATCH"
	condForms = newTable(
		form[condDecoder]{phrase: "always", decode: (*lowerer).condAlways},
		form[condDecoder]{phrase: "not", args: "COND", decode: (*lowerer).condNot},
		form[condDecoder]{phrase: "all", args: `"{" COND… "}"`, decode: (*lowerer).condGroup},
		form[condDecoder]{phrase: "any", args: `"{" COND… "}"`, decode: (*lowerer).condGroup},
		form[condDecoder]{phrase: "from", args: address, decode: (*lowerer).addressTest},
		form[condDecoder]{phrase: "to", args: address, decode: (*lowerer).addressTest},
		form[condDecoder]{phrase: "cc", args: address, decode: (*lowerer).addressTest},
		form[condDecoder]{phrase: "bcc", args: address, decode: (*lowerer).addressTest},
		form[condDecoder]{phrase: "sender", args: address + ` | "is" SENDER`, decode: (*lowerer).addressTest},
		form[condDecoder]{phrase: "reply-to", args: address, decode: (*lowerer).addressTest},
		form[condDecoder]{phrase: "envelope", args: "ENVELOPE " + address, decode: (*lowerer).addressTest},
		form[condDecoder]{phrase: "address", args: "(STRING | LIST) " + address, decode: (*lowerer).addressTest},
		form[condDecoder]{phrase: "subject", args: "MATCH", decode: (*lowerer).condHeader},
		form[condDecoder]{phrase: "header", args: "(STRING | LIST) MATCH", decode: (*lowerer).condHeader},
		form[condDecoder]{phrase: "body", args: "MATCH", decode: (*lowerer).condHeader},
		form[condDecoder]{phrase: "exists", args: "STRING | LIST", decode: (*lowerer).condExists},
		form[condDecoder]{phrase: "size", args: "COMPARISON SIZE", decode: (*lowerer).condSize},
		form[condDecoder]{phrase: "message", args: `"is" MESSAGE`, decode: (*lowerer).condMessage},
		form[condDecoder]{phrase: "during", args: `DAYS TIME "-" TIME ("," DAYS TIME "-" TIME)…`, decode: (*lowerer).condDuring},
		form[condDecoder]{phrase: "between", args: `DATE [TIME] "and" DATE [TIME]`, decode: (*lowerer).condBetween},
	)
	initPhrases()
}
