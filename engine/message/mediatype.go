package message

import (
	"mime"
	"strings"
)

// parseMediaType reads a Content-Type value. It returns "" when the value
// names no media type at all. Parameters that mime.ParseMediaType refuses
// (duplicates, stray text) are read best-effort, and the value is then
// recorded as malformed.
func parseMediaType(value string, rec *recorder, where string) (string, map[string]string) {
	if strings.TrimSpace(value) == "" {
		return "", nil
	}
	mt, params, err := mime.ParseMediaType(value)
	if err == nil {
		for k, v := range params {
			params[k] = strings.ToValidUTF8(v, "\uFFFD")
		}
		return mt, params
	}
	rec.add(KindMalformedMediaType, "%s: %s: %v", where, quote(value), err)
	head, rest, _ := strings.Cut(value, ";")
	mt = strings.ToLower(strings.TrimSpace(head))
	if typ, sub, ok := strings.Cut(mt, "/"); !ok || !isToken(typ) || !isToken(sub) {
		return "", nil
	}
	params = map[string]string{}
	for _, p := range strings.Split(rest, ";") {
		k, v, ok := strings.Cut(p, "=")
		k = strings.ToLower(strings.TrimSpace(k))
		if !ok || !isToken(k) {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			v = strings.ReplaceAll(v[1:len(v)-1], `\`, "")
		}
		if _, dup := params[k]; !dup {
			params[k] = strings.ToValidUTF8(v, "\uFFFD")
		}
	}
	return mt, params
}

// isToken reports whether s is a non-empty RFC 2045 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?=`, c) >= 0 {
			return false
		}
	}
	return true
}
