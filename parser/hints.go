package parser

import (
	"strings"

	"github.com/tamis-mss/tamis/rules"
)

// The words diagnostics use to name what the grammar expects, the phrases
// "did you mean" chooses from, and the usage hints. They are kept here, in
// one place, so that they can be translated and extended (synonyms);
// TestHintsFollowGrammar checks them against the grammar.

// Phrases are the keywords that begin an element in each place, in the
// order hints list them; "did you mean" compares an unknown word with them.
// They come from the forms Keywords documents (keywords.go).
var (
	topPhrases    = phrasesOf(ClassTop)
	actionPhrases = phrasesOf(ClassAction)
	replyPhrases  = concat([]string{"reply"}, phrasesOf(ClassSetting))
	// In an absence block the windows, then the reply and its settings
	// come first.
	rulePhrases     = concat([]string{"when"}, actionPhrases, replyPhrases)
	vacationPhrases = concat([]string{"from", "until", "when"}, replyPhrases, actionPhrases)
	condPhrases     = conditionPhrases()
)

// conditionPhrases are the phrases of the conditions, with the words that
// complete envelope, size, sender is and message is.
func conditionPhrases() []string {
	var out []string
	for _, p := range phrasesOf(ClassCondition) {
		switch p {
		case "envelope":
			for _, w := range sortedKeys(envelopeFields) {
				out = append(out, p+" "+w)
			}
		case "size":
			out = append(out, "size over", "size under")
		case "message":
			for _, w := range keysByValue(senderPredicates) {
				out = append(out, "sender is "+w)
			}
			for _, w := range keysByValue(messagePredicates) {
				out = append(out, "message is "+w)
			}
		default:
			out = append(out, p)
		}
	}
	return out
}

// usage shows the form of each element, for the hints of syntax errors.
var usage = map[string]string{
	"mailbox":    `mailbox "cabinet@medecin.mssante.fr"`,
	"also":       `also "a@medecin.mssante.fr" or also ["a@…", "b@…"]`,
	"timezone":   `timezone "Europe/Paris"`,
	"rule":       `rule "NAME" { … } or rule "NAME" disabled { … }`,
	"vacation":   `vacation "NAME" { … } or vacation "NAME" disabled { … }`,
	"window":     `from 2025-12-20 [18:00] until 2026-01-05 [08:00]`,
	"when":       `when CONDITION, on one line (all { … } and any { … } may span lines)`,
	"reject":     `reject "REASON"`,
	"reroute":    `reroute to "ADDRESS"`,
	"copy":       `copy to "ADDRESS"`,
	"file":       `file into "FOLDER"`,
	"flag":       `flag "\\Flagged" or flag ["\\Seen", "$Label"]`,
	"notify":     `notify "ADDRESS" [saying "TEXT"] [at most once per hour]`,
	"reply":      `reply "TEXT" or a """ block`,
	"subject":    `subject "TEXT" (reply setting) or subject contains "…" (condition)`,
	"reply-from": `reply-from "ADDRESS"`,
	"every":      `every 7 days (days, hours, minutes or seconds)`,
	"handle":     `handle "ID"`,
	"from":       `from [local|domain] is "…"`,
	"not":        `not CONDITION`,
	"all":        `all { CONDITION; CONDITION }`,
	"any":        `any { CONDITION; CONDITION }`,
	"to":         `to [local|domain] is "…"`,
	"cc":         `cc [local|domain] is "…"`,
	"bcc":        `bcc [local|domain] is "…"`,
	"sender":     `sender [local|domain] is "…" or sender is patient|trusted|untrusted`,
	"reply-to":   `reply-to [local|domain] is "…"`,
	"envelope":   `envelope from [local|domain] is "…" or envelope to …`,
	"address":    `address "Resent-From" [local|domain] is "…"`,
	"header":     `header "X-MSS-MES" is "FIN"`,
	"body":       `body contains "…"`,
	"exists":     `exists "X-MSS-INS" or exists ["A", "B"]`,
	"size":       `size over 25M or size under 1K`,
	"message":    `message is auto-reply|read-receipt|bounce|mailing-list`,
	"during":     `during mon-fri 08:00-19:00, sat 09:00-12:00`,
	"between":    `between 2025-12-20 [18:00] and 2026-01-05 [08:00]`,
}

// valueWhat names the value that follows a keyword (or a phrase such as
// copy to), when it is missing or wrong.
var valueWhat = map[string]string{
	"mailbox":    "the mailbox address in quotes",
	"also":       "an address or a list of addresses",
	"timezone":   "an IANA time zone name in quotes",
	"rule":       "the rule's name in quotes",
	"vacation":   "the vacation's name in quotes",
	"reply":      "the text of the reply in quotes",
	"subject":    "the subject of the reply in quotes",
	"reply-from": "the From address of the reply in quotes",
	"handle":     "the name of the reply in quotes",
	"reject":     "the reason in quotes",
	"reroute":    "the address in quotes",
	"copy":       "the address in quotes",
	"file":       "the folder in quotes",
	"flag":       "a flag or a list of flags",
	"notify":     "the address to notify in quotes",
	"header":     "a header name or a list of names",
	"exists":     "a header name or a list of names",
	"address":    "a header name or a list of names",
	"size":       "a size (25M)",
	"every":      "a number (every 7 days)",
}

// tokenWhat names the token types in "expected …" messages.
var tokenWhat = map[tokKind]string{
	tString: "a string or a list of strings",
	tDate:   "a date (YYYY-MM-DD)",
	tTime:   "a time (HH:MM)",
	tHours:  "hours (08:00-19:00)",
	tNumber: "a number",
	tWord:   "days (mon-fri)",
}

// wordClass is a set of words the grammar accepts in one place, named as a
// whole in messages: an unknown word there is an unknown keyword of the
// class, not a misplaced token.
type wordClass struct {
	words   []string
	suggest []string // the words "did you mean" offers
	what    string   // "a unit: days, hours, minutes or seconds"
	unknown string   // "unknown unit %q"
	hint    string   // when no word is close enough for "did you mean"
	// synonyms: the class has French words (unitHint, matchHint).
	synonyms bool
}

var wordClasses = []wordClass{
	{words: sortedKeys(units), suggest: []string{"days", "hours", "minutes", "seconds"}, what: "a unit: days, hours, minutes or seconds",
		unknown: "unknown unit %q", hint: "the units are days, hours, minutes and seconds", synonyms: true},
	{words: keysByValue(matchKinds), suggest: keysByValue(matchKinds), what: "is, contains, matches or regex",
		unknown: "unknown keyword %q", hint: "expected is, contains, matches or regex", synonyms: true},
	{words: keysByValue(senderPredicates), suggest: keysByValue(senderPredicates), what: "patient, trusted or untrusted",
		unknown: "unknown keyword %q", hint: "expected patient, trusted or untrusted"},
	{words: keysByValue(messagePredicates), suggest: keysByValue(messagePredicates), what: "auto-reply, read-receipt, bounce or mailing-list",
		unknown: "unknown keyword %q", hint: "expected auto-reply, read-receipt, bounce or mailing-list"},
}

// The word tables lowering decodes with.
var (
	units = map[string]rules.Unit{
		"day": rules.Days, "days": rules.Days, "hour": rules.Hours, "hours": rules.Hours,
		"minute": rules.Minutes, "minutes": rules.Minutes, "second": rules.Seconds, "seconds": rules.Seconds,
	}
	matchKinds = map[string]rules.MatchKind{
		"is": rules.Is, "contains": rules.Contains, "matches": rules.Matches, "regex": rules.Regex,
	}
	addressFields = map[string]rules.AddressField{
		"from": rules.FieldFrom, "to": rules.FieldTo, "cc": rules.FieldCc, "bcc": rules.FieldBcc,
		"sender": rules.FieldSender, "reply-to": rules.FieldReplyTo,
	}
	envelopeFields   = map[string]rules.AddressField{"from": rules.FieldEnvelopeFrom, "to": rules.FieldEnvelopeTo}
	addressParts     = map[string]rules.AddressPart{"local": rules.PartLocal, "domain": rules.PartDomain}
	senderPredicates = map[string]rules.Predicate{
		"patient": rules.SenderPatient, "trusted": rules.SenderTrusted, "untrusted": rules.SenderUntrusted,
	}
	messagePredicates = map[string]rules.Predicate{
		"auto-reply": rules.MessageAutoReply, "read-receipt": rules.MessageReadReceipt,
		"bounce": rules.MessageBounce, "mailing-list": rules.MessageMailingList,
	}
	sizeSuffixes = map[string]int64{"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
	dayNames     = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
	// frenchDays maps French day names to the keywords, for hints.
	frenchDays = map[string]string{
		"lun": "mon", "mar": "tue", "mer": "wed", "jeu": "thu", "ven": "fri", "sam": "sat", "dim": "sun",
		"lundi": "mon", "mardi": "tue", "mercredi": "wed", "jeudi": "thu", "vendredi": "fri", "samedi": "sat", "dimanche": "sun",
	}
)

// listKeywords take lists where a string is written, for the hint of a
// second string.
var listKeywords = map[string]bool{
	"also": true, "flag": true, "exists": true, "header": true, "address": true, "body": true, "subject": true,
	"from": true, "to": true, "cc": true, "bcc": true, "sender": true, "reply-to": true, "envelope": true,
}

// zoneSuggestions are the zones of France and its overseas territories,
// offered when a zone name is misspelt.
var zoneSuggestions = []string{
	"Europe/Paris", "America/Guadeloupe", "America/Martinique", "America/Cayenne", "America/Miquelon",
	"Indian/Reunion", "Indian/Mayotte", "Pacific/Noumea", "Pacific/Tahiti", "Pacific/Wallis", "UTC",
}

// firstWords returns the first word of each phrase.
func firstWords(phrases ...[]string) map[string]bool {
	m := map[string]bool{}
	for _, ps := range phrases {
		for _, p := range ps {
			w, _, _ := strings.Cut(p, " ")
			m[w] = true
		}
	}
	return m
}

var (
	topKeywords  = firstWords(topPhrases)
	itemKeywords = firstWords(rulePhrases, vacationPhrases)
	condKeywords = firstWords(condPhrases)
)

func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
