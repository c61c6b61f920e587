package mssante

import (
	"strings"
	"unicode"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
)

// Suggest returns the trust-space domain that domain most likely meant, or
// "" when none is close or domain is itself in l. It never returns the
// patient domain, and what it returns is always in l.
//
// The domain is first folded: A-labels decoded, lower-cased, compatibility
// forms (full-width letters, ligatures) and accents removed, invisible
// characters dropped and common Cyrillic and Greek look-alikes replaced by
// their Latin letter, so "mssanté.fr" and "mѕsante.fr" lead to
// "mssante.fr". Then a misspelt ".mssante.fr" or ".apicrypt.org" suffix is
// repaired, and a misspelt bare "apicrypt.org" (such as "apycrypt.org")
// leads to ApicryptDomain, the only Apicrypt domain for MSSanté. Last, the listed domain at one edit (insertion, deletion,
// substitution or transposition of two neighbours) is proposed, the first
// in alphabetical order when there are several.
func (l *List) Suggest(domain string) string {
	if l == nil || l.Contains(domain) {
		return ""
	}
	folded := foldDomain(domain)
	if folded == "" {
		return ""
	}
	self, _ := normalizeDomain(domain)
	ok := func(c string) bool {
		return c != self && c != PatientDomain && l.Contains(c)
	}
	if ok(folded) {
		return folded
	}
	if c := repairSuffix(folded); c != "" && ok(c) {
		return c
	}
	if c := bareDomain(folded); c != "" && ok(c) {
		return c
	}
	for _, name := range l.names {
		if len(name)-len(folded) > 1 || len(folded)-len(name) > 1 {
			continue
		}
		if editDistance(folded, name, 1) <= 1 && ok(name) {
			return name
		}
	}
	return ""
}

// bareDomains maps a registered domain that is not itself in the trust
// space to the trust-space domain meant by a misspelling of it:
// "x@apycrypt.org" is an Apicrypt address typed wrong, and the only
// Apicrypt domain for MSSanté is ApicryptDomain.
var bareDomains = map[string]string{"apicrypt.org": ApicryptDomain}

// bareDomain returns the trust-space domain meant by d when d is a near
// miss (one or two edits) of one of bareDomains, otherwise "". The bare
// domain itself gets nothing: "x@apicrypt.org" is a real Apicrypt v1
// address, a different mailbox, and Classify's reason already names the
// listed Apicrypt domains.
func bareDomain(d string) string {
	for bare, meant := range bareDomains {
		if d != bare && editDistance(d, bare, 2) <= 2 {
			return meant
		}
	}
	return ""
}

// knownSuffixes are the registered domains of the trust space; a domain
// ending in a near miss of one of them is repaired.
var knownSuffixes = []string{"mssante.fr", "apicrypt.org"}

func repairSuffix(d string) string {
	last := strings.LastIndexByte(d, '.')
	if last <= 0 {
		return ""
	}
	cut := strings.LastIndexByte(d[:last], '.')
	if cut <= 0 {
		return ""
	}
	prefix, suffix := d[:cut], d[cut+1:]
	for _, known := range knownSuffixes {
		if suffix != known && editDistance(suffix, known, 2) <= 2 {
			return prefix + "." + known
		}
	}
	return ""
}

// lookalikes maps Cyrillic and Greek letters, and dots other than the ASCII
// full stop, to the ASCII character they are mistaken for.
var lookalikes = map[rune]rune{
	'а': 'a', 'в': 'b', 'е': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p',
	'с': 'c', 'т': 't', 'у': 'y', 'х': 'x', 'ѕ': 's', 'і': 'i', 'ј': 'j', 'ԁ': 'd',
	'ԛ': 'q', 'ԝ': 'w', 'ɡ': 'g', 'ο': 'o', 'α': 'a', 'ν': 'v', 'ι': 'i', 'κ': 'k',
	'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x', 'ε': 'e', 'ı': 'i',
	'。': '.', '｡': '.', '．': '.',
}

// foldDomain reduces a domain to the ASCII letters a reader would see in
// it. It returns "" when nothing recognisable is left.
func foldDomain(domain string) string {
	if strings.Contains(strings.ToLower(domain), "xn--") {
		if u, err := idna.Punycode.ToUnicode(strings.ToLower(domain)); err == nil {
			domain = u
		}
	}
	var b strings.Builder
	for _, r := range norm.NFKD.String(strings.ToLower(domain)) {
		if m, ok := lookalikes[r]; ok {
			r = m
		}
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9', r == '-', r == '.':
			b.WriteRune(r)
		case 'A' <= r && r <= 'Z':
			b.WriteRune(unicode.ToLower(r))
		}
		// Anything else (accents, invisible and other characters) is
		// dropped.
	}
	return strings.Trim(b.String(), ".")
}

// editDistance returns the optimal-string-alignment distance between a and
// b (insertions, deletions, substitutions, transpositions of neighbours),
// or limit+1 as soon as it is known to exceed limit.
func editDistance(a, b string, limit int) int {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > limit {
		return limit + 1
	}
	var rows [3][MaxAddressLen + 1]int // domains are shorter: no allocation
	var prev2, prev, cur []int
	if len(b) <= MaxAddressLen {
		prev2, prev, cur = rows[0][:len(b)+1], rows[1][:len(b)+1], rows[2][:len(b)+1]
	} else {
		prev2, prev, cur = make([]int, len(b)+1), make([]int, len(b)+1), make([]int, len(b)+1)
	}
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			best = min(best, v)
		}
		if best > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], limit+1)
}
