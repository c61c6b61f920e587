package store

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxScriptNameBytes is the longest script name accepted, in bytes.
const MaxScriptNameBytes = 128

// ScriptName is a validated script name. Only ParseScriptName builds a
// non-zero one, so that a backend never receives a name that could escape
// its directory or break a protocol line. The zero ScriptName means "no
// script" (SetActive's deactivation).
type ScriptName struct {
	s string
}

// String returns the name as the client wrote it.
func (n ScriptName) String() string { return n.s }

// IsZero reports whether n is the zero ScriptName.
func (n ScriptName) IsZero() bool { return n.s == "" }

// ErrScriptName is wrapped by every error of ParseScriptName.
var ErrScriptName = errors.New("invalid script name")

// ParseScriptName checks a script name: RFC 5804 section 1.6 (UTF-8 in
// Unicode normalization form C, no control characters, no U+2028 or U+2029,
// not empty) and, so that any backend can use it as a file name, no "/" or
// "\", no leading ".", at most MaxScriptNameBytes bytes.
func ParseScriptName(s string) (ScriptName, error) {
	bad := func(why string) (ScriptName, error) {
		return ScriptName{}, fmt.Errorf("%w %q: %s", ErrScriptName, s, why)
	}
	switch {
	case s == "":
		return bad("it is empty")
	case len(s) > MaxScriptNameBytes:
		return bad(fmt.Sprintf("it is longer than %d bytes", MaxScriptNameBytes))
	case !utf8.ValidString(s):
		return bad("it is not valid UTF-8")
	case !norm.NFC.IsNormalString(s):
		return bad("it is not in Unicode normalization form C")
	case strings.HasPrefix(s, "."):
		return bad(`it starts with "."`)
	case strings.ContainsAny(s, `/\`):
		return bad(`it contains "/" or "\"`)
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return bad(fmt.Sprintf("it contains the control character %U", r))
		}
	}
	return ScriptName{s: s}, nil
}
