package vacation

import "strings"

// stripAngles removes surrounding white space and one pair of angle
// brackets: "<a@b>" and " a@b " are both "a@b".
func stripAngles(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '<' && s[len(s)-1] == '>' {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}

// NormalizeAddress returns the form of an address used in tracking keys:
// white space and angle brackets removed, lower-case. The local part is
// lowered too, as Pigeonhole does for its duplicate check, so that a sender
// writing "Dr.Martin@…" and "dr.martin@…" gets one reply, not two.
func NormalizeAddress(s string) string {
	return strings.ToLower(stripAngles(s))
}
