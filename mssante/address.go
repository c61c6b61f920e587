package mssante

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Limits of RFC 5321 §4.5.3.1 and RFC 1035 that a target address must
// respect.
const (
	MaxLocalLen   = 64  // octets in the local part
	MaxLabelLen   = 63  // octets in one domain label (A-label form)
	MaxAddressLen = 254 // octets in local@domain (A-label form)
	MaxDomainLen  = 253 // octets in a domain name (A-label form, no final dot)
)

// Address is a syntactically valid mailbox: Local as written (case kept),
// Domain lower-case ASCII (A-labels).
//
// The only way to get a non-zero Address from text is ParseAddress, so an
// Address always satisfies the strict target syntax.
type Address struct{ Local, Domain string }

// String returns the address as local@domain. It re-parses to the same
// Address.
func (a Address) String() string {
	if a.Local == "" && a.Domain == "" {
		return ""
	}
	return a.Local + "@" + a.Domain
}

// IsZero reports whether a is the zero Address.
func (a Address) IsZero() bool { return a.Local == "" && a.Domain == "" }

// AddressError tells why a string is not a valid target address.
type AddressError struct {
	Input  string // the text that was parsed
	Reason string // why it was refused, in lower case, without a final period
}

// Error returns `invalid address "INPUT": REASON`, with INPUT quoted so
// that control characters cannot reach a log line or a header.
func (e *AddressError) Error() string {
	return fmt.Sprintf("invalid address %q: %s", e.Input, e.Reason)
}

func addrErr(s, format string, args ...any) *AddressError {
	return &AddressError{Input: s, Reason: fmt.Sprintf(format, args...)}
}

// ParseAddress parses s with the strict syntax required of reroute and copy
// targets: an RFC 5321 mailbox whose local part is an ASCII dot-atom of at
// most 64 octets and whose domain is a host name (labels of at most 63
// octets, at least two labels, the last one not numeric), the whole at most
// 254 octets. It refuses, with a reason, quoted local parts, comments,
// display names and angle brackets, '%' and '!' routing, source routes, IP
// literals, backslashes, whitespace, control characters (CR, LF, NUL…),
// invisible characters, several addresses and empty parts.
//
// A non-ASCII domain is converted to A-labels with IDNA (UTS #46, lookup
// profile), and refused when IDNA would rewrite it to something else than
// a genuine internationalised label: full-width letters, compatibility
// characters, ideographic full stops and zero-width characters are refused
// rather than silently folded, so "mss\u200bante.fr" cannot become
// "mssante.fr". The domain is returned in lower case; the local part keeps
// its case.
//
// When s is ASCII, its domain already lower case and without an
// internationalised label, ParseAddress does not allocate. The error is an
// *AddressError.
func ParseAddress(s string) (Address, error) {
	if a, ok := parseCanonical(s); ok {
		return a, nil
	}
	return parseStrict(s)
}

// parseStrict is the full parser: every check, with the reason of the
// first failure.
func parseStrict(s string) (Address, error) {
	if s == "" {
		return Address{}, addrErr(s, "empty address")
	}
	if r := refuseCharacters(s); r != "" {
		return Address{}, &AddressError{Input: s, Reason: r}
	}
	at := strings.IndexByte(s, '@')
	switch {
	case at < 0:
		return Address{}, addrErr(s, "missing '@'")
	case strings.Count(s, "@") > 1:
		return Address{}, addrErr(s, "more than one '@' (several addresses or a route)")
	case at == 0:
		return Address{}, addrErr(s, "empty local part")
	case at == len(s)-1:
		return Address{}, addrErr(s, "empty domain")
	}
	local, domain := s[:at], s[at+1:]
	if r := checkLocal(local); r != "" {
		return Address{}, &AddressError{Input: s, Reason: r}
	}
	d, r := normalizeDomain(domain)
	if r != "" {
		return Address{}, &AddressError{Input: s, Reason: r}
	}
	if n := len(local) + 1 + len(d); n > MaxAddressLen {
		return Address{}, addrErr(s, "address is %d octets long, at most %d are allowed", n, MaxAddressLen)
	}
	return Address{Local: local, Domain: d}, nil
}

// refuseCharacters looks at the whole input for the characters and
// constructs that are never part of a target, so that the reason names the
// trick rather than a generic syntax error.
func refuseCharacters(s string) string {
	nonASCII, space := false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\r' || c == '\n':
			return "contains a line break (CR or LF)"
		case c == 0:
			return "contains a NUL character"
		case c == ' ' || c == '\t':
			space = true
		case c < 0x20 || c == 0x7f:
			return fmt.Sprintf("contains the control character %U", rune(c))
		case c >= utf8.RuneSelf:
			nonASCII = true
		}
	}
	if nonASCII {
		if r := refuseRunes(s); r != "" {
			return r
		}
	}
	switch {
	case strings.ContainsAny(s, "<>"):
		return "display names and angle brackets are not allowed; give the bare address"
	case strings.ContainsRune(s, '"'):
		return "quoted local parts are not allowed"
	case strings.ContainsAny(s, "()"):
		return "comments are not allowed"
	case strings.ContainsAny(s, ",;"):
		return "several addresses are not allowed; give one address per target"
	case strings.ContainsAny(s, "[]"):
		return "IP-address literals are not allowed"
	case s[0] == '@' && strings.ContainsRune(s, ':'):
		return "source routes are not allowed"
	case strings.ContainsRune(s, ':'):
		return "':' is not allowed (source route, group syntax or URL)"
	case strings.ContainsRune(s, '%'):
		return "'%' routing is not allowed"
	case strings.ContainsRune(s, '!'):
		return "'!' routing (bang path) is not allowed"
	case strings.ContainsRune(s, '\\'):
		return "backslash escapes are not allowed"
	case space:
		return "contains whitespace"
	}
	return ""
}

func refuseRunes(s string) string {
	if !utf8.ValidString(s) {
		return "not valid UTF-8"
	}
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
		case unicode.IsSpace(r):
			return fmt.Sprintf("contains the whitespace character %U", r)
		case unicode.Is(unicode.Cf, r):
			return fmt.Sprintf("contains the invisible character %U", r)
		case unicode.IsControl(r):
			return fmt.Sprintf("contains the control character %U", r)
		case !unicode.IsGraphic(r):
			return fmt.Sprintf("contains the non-printable character %U", r)
		}
	}
	return ""
}

// isAtext reports whether c may appear in a dot-atom local part. It is the
// atext of RFC 5322 §3.2.3 without '%' and '!', which relays interpret as
// routing.
func isAtext(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("#$&'*+-/=?^_`{|}~", c) >= 0
}

func checkLocal(local string) string {
	if len(local) > MaxLocalLen {
		return fmt.Sprintf("local part is %d octets long, at most %d are allowed", len(local), MaxLocalLen)
	}
	prevDot := true // a leading dot is an empty part
	for i := 0; i < len(local); i++ {
		c := local[i]
		switch {
		case c == '.':
			if prevDot {
				return "local part has an empty dot-separated part"
			}
			prevDot = true
			continue
		case c >= utf8.RuneSelf:
			return "non-ASCII local parts are not allowed"
		case !isAtext(c):
			return fmt.Sprintf("character %q is not allowed in the local part", c)
		}
		prevDot = false
	}
	if prevDot {
		return "local part has an empty dot-separated part"
	}
	return ""
}

// normalizeDomain returns the lower-case A-label form of domain, or a
// reason to refuse it. It does not allocate when domain is ASCII and
// already lower case.
func normalizeDomain(domain string) (string, string) {
	ascii := true
	upper := false
	for i := 0; i < len(domain); i++ {
		c := domain[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if 'A' <= c && c <= 'Z' {
			upper = true
		}
	}
	if !ascii {
		return idnaDomain(domain)
	}
	if r := checkASCIIDomain(domain); r != "" {
		return "", r
	}
	if upper {
		domain = strings.ToLower(domain)
	}
	return domain, ""
}

// checkASCIIDomain checks an ASCII host name: LDH labels of 1 to 63
// octets, no hyphen at either end, "--" in third and fourth position only
// for a valid A-label, at least two labels, a non-numeric last label.
func checkASCIIDomain(domain string) string {
	if domain == "" {
		return "empty domain"
	}
	if len(domain) > MaxDomainLen {
		return fmt.Sprintf("domain is %d octets long, at most %d are allowed", len(domain), MaxDomainLen)
	}
	if domain[0] == '[' {
		return "IP-address literals are not allowed"
	}
	labels := 0
	for rest := domain; ; {
		label, tail, more := strings.Cut(rest, ".")
		labels++
		if r := checkLabel(label); r != "" {
			return r
		}
		if !more {
			if allDigits(label) {
				return "the last domain label is numeric (IP addresses are not allowed)"
			}
			break
		}
		rest = tail
	}
	if labels < 2 {
		return "domain must have at least two labels"
	}
	return ""
}

func checkLabel(label string) string {
	switch {
	case label == "":
		return "domain has an empty label (leading, trailing or doubled dot)"
	case len(label) > MaxLabelLen:
		return fmt.Sprintf("domain label is %d octets long, at most %d are allowed", len(label), MaxLabelLen)
	case label[0] == '-' || label[len(label)-1] == '-':
		return fmt.Sprintf("domain label %q starts or ends with a hyphen", label)
	}
	for i := 0; i < len(label); i++ {
		c := label[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return fmt.Sprintf("character %q is not allowed in a domain", c)
		}
	}
	if len(label) >= 4 && label[2] == '-' && label[3] == '-' {
		if !strings.EqualFold(label[:2], "xn") {
			return fmt.Sprintf("domain label %q has hyphens in third and fourth position (reserved)", label)
		}
		return checkALabel(strings.ToLower(label))
	}
	return ""
}

// checkALabel accepts an "xn--" label only if it decodes to a valid
// U-label that encodes back to exactly the same A-label, so that every
// accepted domain has a single spelling.
func checkALabel(label string) string {
	u, err := idna.Lookup.ToUnicode(label)
	if err != nil || isASCII(u) || refuseRunes(u) != "" {
		return fmt.Sprintf("domain label %q is not a valid internationalised label", label)
	}
	back, err := idna.Lookup.ToASCII(u)
	if err != nil || back != label {
		return fmt.Sprintf("domain label %q is not in canonical IDNA form", label)
	}
	return ""
}

// idnaDomain converts a non-ASCII domain label by label. Labels are
// separated by ASCII dots only: a non-ASCII label must become exactly one
// genuine A-label, so IDNA's mappings (full-width forms, compatibility
// characters, other full stops) cannot turn it into ASCII.
func idnaDomain(domain string) (string, string) {
	var b strings.Builder
	for i, label := range strings.Split(domain, ".") {
		if i > 0 {
			b.WriteByte('.')
		}
		if isASCII(label) {
			b.WriteString(label)
			continue
		}
		a, err := idna.Lookup.ToASCII(label)
		if err != nil {
			return "", fmt.Sprintf("domain label %q is not a valid internationalised label", label)
		}
		if !strings.HasPrefix(a, "xn--") || strings.ContainsRune(a, '.') {
			return "", fmt.Sprintf("domain label %q is rewritten to %q by IDNA (full-width, compatibility or invisible characters are not allowed)", label, a)
		}
		if u, err := idna.Lookup.ToUnicode(a); err != nil || !strings.EqualFold(u, label) {
			return "", fmt.Sprintf("domain label %q is rewritten to %q by IDNA (full-width, compatibility or invisible characters are not allowed)", label, u)
		}
		b.WriteString(a)
	}
	d := b.String()
	if r := checkASCIIDomain(d); r != "" {
		return "", r
	}
	return strings.ToLower(d), ""
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// localChars marks the bytes allowed in a dot-atom local part (isAtext).
var localChars = func() (t [256]bool) {
	for c := range 256 {
		t[c] = isAtext(byte(c))
	}
	return t
}()

// parseCanonical is the fast path of ParseAddress: one pass, no
// allocation, for the common case of an ASCII address whose domain is
// already lower case and has no "--" label (so no IDNA). It reports false
// for anything else, valid or not, and the full parser decides; it never
// accepts what the full parser refuses (FuzzTargetAddress checks this).
func parseCanonical(s string) (Address, bool) {
	n := len(s)
	if n == 0 || n > MaxAddressLen {
		return Address{}, false
	}
	at := -1
	prevDot := true
	for i := 0; i < n; i++ {
		c := s[i]
		if c == '@' {
			at = i
			break
		}
		if c == '.' {
			if prevDot {
				return Address{}, false
			}
			prevDot = true
			continue
		}
		if !localChars[c] {
			return Address{}, false
		}
		prevDot = false
	}
	if at <= 0 || prevDot || at > MaxLocalLen {
		return Address{}, false
	}
	labels, start, last := 0, at+1, at+1
	for j := at + 1; j <= n; j++ {
		if j < n && s[j] != '.' {
			c := s[j]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
				return Address{}, false
			}
			continue
		}
		l := j - start
		if l == 0 || l > MaxLabelLen || s[start] == '-' || s[j-1] == '-' || l >= 4 && s[start+2] == '-' && s[start+3] == '-' {
			return Address{}, false
		}
		labels++
		last, start = start, j+1
	}
	if labels < 2 || allDigits(s[last:]) {
		return Address{}, false
	}
	return Address{Local: s[:at], Domain: s[at+1:]}, true
}
