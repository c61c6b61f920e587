package autoreply

import "strings"

// ParseFrom splits the From of a reply, "local@domain", "<local@domain>"
// or "Display Name <local@domain>" (the name plain or quoted, UTF-8
// allowed), into its display name (unquoted, "" when none) and its address.
// It refuses, with a *FieldError, line breaks and control characters
// anywhere (no header can be injected), a display name longer than 200
// bytes and an address that is not a strict one. Build accepts exactly the
// values ParseFrom accepts; the policy compiler uses it to check a
// reply-from before any mail comes.
func ParseFrom(from string) (name, addr string, err error) {
	return parseFrom(from)
}

// decodePhrase returns the display name an RFC 5322 phrase stands for: its
// words (atoms and quoted-strings, the latter unquoted) separated by one
// space, as mail readers and Pigeonhole show it. `Dr "Nanou" Lilas` is
// "Dr Nanou Lilas"; `"Lilas, Anne"` is "Lilas, Anne". An unclosed quote
// runs to the end.
func decodePhrase(s string) string {
	var words []string
	var w strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			words = append(words, w.String())
			w.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			flush()
			inWord = true
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				w.WriteByte(s[i])
			}
			flush()
		case c == ' ' || c == '\t':
			flush()
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	flush()
	return strings.Join(words, " ")
}
