package parser

import (
	"fmt"
	"strconv"
	"strings"
)

// The words administrators write for the keywords: French, and the labels
// of the Mailiz and Roundcube screens (DESIGN.md §1). An unknown word that
// is one of them gets "did you mean" with the keyword, whatever the edit
// distance: "absence" is far from "vacation", yet it is what the author
// meant. Keys are lower case; accents are written both ways, as people
// type them both ways.

// topSynonyms stand where a policy's top-level elements begin.
var topSynonyms = map[string]string{
	"absence": "vacation", "absent": "vacation", "absente": "vacation", "congés": "vacation", "conges": "vacation",
	"vacances": "vacation", "répondeur": "vacation", "repondeur": "vacation",
	"règle": "rule", "regle": "rule", "filtre": "rule",
	"boîte": "mailbox", "boite": "mailbox", "adresse": "mailbox",
	"aussi": "also", "fuseau": "timezone",
}

// itemSynonyms stand where the elements of a rule or an absence block
// begin. "rejeter" is resolved by rejectSynonym.
var itemSynonyms = map[string]string{
	"réacheminer": "reroute to", "reacheminer": "reroute to", "rediriger": "reroute to", "redirection": "reroute to",
	"transférer": "reroute to", "transferer": "reroute to", "renvoyer": "reroute to",
	"copie": "copy to", "copier": "copy to", "envoyer": "copy to",
	"garder": "keep", "conserver": "keep", "recevoir": "keep",
	"supprimer": "discard", "effacer": "discard", "jeter": "discard", "ignorer": "discard",
	"déplacer": "file into", "deplacer": "file into", "classer": "file into", "ranger": "file into",
	"arrêter": "stop", "arreter": "stop", "arrêt": "stop",
	"marquer": "flag", "étiqueter": "flag", "etiqueter": "flag",
	"répondre": "reply", "repondre": "reply", "réponse": "reply", "reponse": "reply", "corps": "reply",
	"objet": "subject", "sujet": "subject",
	"si": "when", "quand": "when", "lorsque": "when",
	"début": "from", "debut": "from", "fin": "until",
}

// condSynonyms stand where a condition begins.
var condSynonyms = map[string]string{
	"de": "from", "expéditeur": "from", "expediteur": "from",
	"à": "to", "pour": "to", "destinataire": "to",
	"objet": "subject", "sujet": "subject", "corps": "body", "contenu": "body",
	"taille": "size", "entête": "header", "en-tête": "header", "existe": "exists",
	"non": "not", "pas": "not", "tous": "all", "toutes": "all", "tout": "all",
	"toujours": "always", "pendant": "during", "horaires": "during", "entre": "between",
}

// matchSynonyms stand for the match kinds ("De est égal à X").
var matchSynonyms = map[string]string{
	"est": "is", "égal": "is", "egal": "is", "vaut": "is",
	"contient": "contains", "correspond": "matches",
}

// unitSynonyms stand for the units of every; weeks are written in days.
var unitSynonyms = map[string]string{
	"jour": "days", "jours": "days", "j": "days", "heure": "hours", "heures": "hours", "h": "hours",
	"seconde": "seconds", "secondes": "seconds", "mn": "minutes", "min": "minutes",
}

// weekWords are the weeks, which every writes as days.
var weekWords = map[string]bool{"semaine": true, "semaines": true, "week": true, "weeks": true, "sem": true}

// synonymHint returns the hint for an unknown word w that begins an element
// of place pl (kind is "rule" or "vacation" inside a block), or "".
func synonymHint(w string, pl place, kind string) string {
	w = strings.ToLower(w)
	table := itemSynonyms
	switch pl {
	case placeTop:
		table = topSynonyms
	case placeCond:
		table = condSynonyms
	}
	if pl == placeItem && (w == "rejeter" || w == "refuser") {
		return rejectHint(kind)
	}
	if k, ok := table[w]; ok {
		return fmt.Sprintf("did you mean %q?", k)
	}
	return ""
}

// rejectHint is the hint for "rejeter", which means two things on the
// screens: in the absence screen it drops the message silently (discard);
// in a filter "Rejeter avec le courriel" returns it with a reason (reject).
func rejectHint(kind string) string {
	if kind == "vacation" {
		return `did you mean "discard"? (the absence screen's "Rejeter" drops the message silently; reject "REASON" returns it to its sender)`
	}
	return `did you mean "reject"? (reject "REASON" returns the message to its sender with the reason; discard drops it silently)`
}

// unitHint returns the hint for an unknown unit w after the number n
// (every 7 jours, every 2 semaines), or "".
func unitHint(w, n string) string {
	w = strings.ToLower(w)
	if u, ok := unitSynonyms[w]; ok {
		return fmt.Sprintf("did you mean %q?", u)
	}
	if weekWords[w] {
		if k, err := strconv.Atoi(n); err == nil && k > 0 && k < 1<<20 {
			return fmt.Sprintf("weeks are written in days: every %d days", 7*k)
		}
		return "weeks are written in days: every 7 days for one week"
	}
	return ""
}

// matchHint returns the hint for an unknown match kind w, or "".
func matchHint(w string) string {
	if k, ok := matchSynonyms[strings.ToLower(w)]; ok {
		return fmt.Sprintf("did you mean %q?", k)
	}
	return ""
}

// englishDays writes a day or a range of days in French (lun, lun-ven,
// lundi-vendredi) with the keywords (mon, mon-fri), or returns "".
func englishDays(s string) string {
	parts := strings.Split(strings.ToLower(s), "-")
	french := false
	for i, p := range parts {
		if en, ok := frenchDays[p]; ok {
			parts[i], french = en, true
		} else if _, ok := dayIndex(p); !ok {
			return ""
		}
	}
	if !french || len(parts) > 2 {
		return ""
	}
	return strings.Join(parts, "-")
}

// unitWord returns the unit keyword a glued suffix means (24h: hours), or
// the suffix itself.
func unitWord(suffix string) string {
	if _, ok := units[suffix]; ok {
		return suffix
	}
	if u, ok := unitSynonyms[strings.ToLower(suffix)]; ok {
		return u
	}
	return suffix
}
