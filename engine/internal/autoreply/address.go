package autoreply

import (
	"fmt"
	"strings"
)

// maxAddressLen is the longest address accepted (RFC 5321 §4.5.3.1.3, path
// minus the angle brackets).
const maxAddressLen = 254

// stripAngles removes surrounding white space and one pair of angle
// brackets: "<a@b>" and " a@b " are both "a@b".
func stripAngles(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '<' && s[len(s)-1] == '>' {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}

// splitAddress splits "local@domain" at its last '@'. ok is false without
// an '@'.
func splitAddress(s string) (local, domain string, ok bool) {
	i := strings.LastIndexByte(s, '@')
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}

// addressProblem returns why s is not a strict address ("local@domain" with
// a dot-atom local part and an ASCII letters-digits-hyphen domain, as MSSanté
// addresses are), or "" when it is one. Quoted local parts, '%' and '!'
// routing, IP literals,
// non-ASCII addresses and anything else that would need care in a header
// are refused: such a sender gets no automatic reply.
func addressProblem(s string) string {
	if s == "" {
		return "empty address"
	}
	if len(s) > maxAddressLen {
		return fmt.Sprintf("longer than %d bytes", maxAddressLen)
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\r' || c == '\n':
			return "contains a line break (CR or LF)"
		case c == 0:
			return "contains a NUL byte"
		case c < 0x20 || c == 0x7f:
			return fmt.Sprintf("contains the control character %#02x", c)
		case c == ' ' || c == '\t':
			return "contains white space"
		case c >= 0x80:
			return "contains a non-ASCII character (use the IDNA A-label form of the domain)"
		}
	}
	local, domain, ok := splitAddress(s)
	if !ok {
		return "missing '@'"
	}
	if p := localProblem(local); p != "" {
		return p
	}
	return domainProblem(domain)
}

// localProblem checks a dot-atom local part (RFC 5322 §3.2.3).
func localProblem(local string) string {
	if local == "" {
		return "empty local part"
	}
	if len(local) > 64 {
		return "local part longer than 64 bytes"
	}
	// '%' and '!' are atext but route mail on through another host
	// (user%host@relay, host!user@relay): a reply to such a path would
	// leave the address the message came from, so it is refused as
	// mssante.ParseAddress refuses such a target.
	if strings.ContainsRune(local, '%') {
		return "'%' routing in the local part"
	}
	if strings.ContainsRune(local, '!') {
		return "'!' routing (bang path) in the local part"
	}
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return "misplaced '.' in the local part"
	}
	for i := 0; i < len(local); i++ {
		if c := local[i]; c != '.' && !isAtext(c) {
			return fmt.Sprintf("character %q not allowed in the local part", c)
		}
	}
	return ""
}

// domainProblem checks a domain of letters, digits and hyphens (RFC 5321
// §4.1.2, A-labels only).
func domainProblem(domain string) string {
	if domain == "" {
		return "empty domain"
	}
	if len(domain) > 253 {
		return "domain longer than 253 bytes"
	}
	for label := range strings.SplitSeq(domain, ".") {
		if label == "" {
			return "empty label in the domain"
		}
		if len(label) > 63 {
			return "domain label longer than 63 bytes"
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return "domain label starting or ending with '-'"
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return fmt.Sprintf("character %q not allowed in the domain", c)
			}
		}
	}
	return ""
}

// isAtext reports whether c is an RFC 5322 atext character.
func isAtext(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

// sameAddress compares local@domain with the address s, ignoring case in
// both parts (as Pigeonhole's sieve_address_compare does) and angle
// brackets around s. It does not allocate.
func sameAddress(local, domain, s string) bool {
	l, d, ok := splitAddress(stripAngles(s))
	return ok && strings.EqualFold(l, local) && strings.EqualFold(d, domain)
}
