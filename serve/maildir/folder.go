package maildir

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxFolderBytes bounds the encoded directory name of a folder (file
// systems allow 255 bytes).
const MaxFolderBytes = 250

// ErrFolder is wrapped by every error of ParseFolder.
var ErrFolder = errors.New("invalid folder name")

// Folder is a validated folder: the zero Folder is the inbox. Only
// ParseFolder builds another one.
type Folder struct {
	name string // as the policy wrote it, hierarchy with the separator
	dir  string // the Maildir++ directory name, "" for the inbox
}

// Inbox is the inbox folder.
var Inbox = Folder{name: "INBOX"}

// String returns the folder's name as the policy wrote it.
func (f Folder) String() string {
	if f.dir == "" {
		return "INBOX"
	}
	return f.name
}

// IsInbox reports whether f is the inbox.
func (f Folder) IsInbox() bool { return f.dir == "" }

// Dir returns the Maildir++ directory name (".Archives.2025"), "" for the
// inbox.
func (f Folder) Dir() string { return f.dir }

// ParseFolder validates a folder name whose hierarchy separator is sep
// ('/' or '.'), as policies and IMAP clients write it: "INBOX" (in any
// case) is the inbox; other names are split at sep, and each component
// must be non-empty valid UTF-8 without control characters, "/" or "."
// (Maildir++ uses "." between levels). Components are encoded in IMAP's
// modified UTF-7 as Dovecot does.
func ParseFolder(name string, sep byte) (Folder, error) {
	bad := func(why string) (Folder, error) {
		return Folder{}, fmt.Errorf("%w %q: %s", ErrFolder, name, why)
	}
	if sep != '/' && sep != '.' {
		return bad(fmt.Sprintf("unsupported separator %q", sep))
	}
	if strings.EqualFold(name, "INBOX") {
		return Inbox, nil
	}
	if name == "" {
		return bad("it is empty")
	}
	if !utf8.ValidString(name) {
		return bad("it is not valid UTF-8")
	}
	var dir strings.Builder
	for i, part := range strings.Split(name, string(sep)) {
		switch {
		case part == "":
			return bad("it has an empty level (a separator at the start, at the end or doubled)")
		case strings.ContainsAny(part, "./"):
			return bad(`a level contains "." or "/", which Maildir++ cannot store`)
		}
		for _, r := range part {
			if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
				return bad(fmt.Sprintf("it contains the control character %U", r))
			}
		}
		if i == 0 && strings.EqualFold(part, "INBOX") {
			part = "INBOX"
		}
		dir.WriteByte('.')
		dir.WriteString(encodeUTF7(part))
	}
	if dir.Len() > MaxFolderBytes {
		return bad(fmt.Sprintf("its directory name is longer than %d bytes", MaxFolderBytes))
	}
	return Folder{name: name, dir: dir.String()}, nil
}

// utf7Base64 is IMAP's modified base64: "," for "/", no padding.
var utf7Base64 = base64.NewEncoding("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,").WithPadding(base64.NoPadding)

// encodeUTF7 encodes s in IMAP's modified UTF-7 (RFC 3501 section 5.1.3):
// printable ASCII as is except "&" ("&-"), everything else as UTF-16 in
// modified base64 between "&" and "-".
func encodeUTF7(s string) string {
	var b strings.Builder
	var run []rune
	flush := func() {
		if len(run) == 0 {
			return
		}
		units := utf16.Encode(run)
		u := make([]byte, 0, 2*len(units))
		for _, c := range units {
			u = append(u, byte(c>>8), byte(c))
		}
		b.WriteByte('&')
		b.WriteString(utf7Base64.EncodeToString(u))
		b.WriteByte('-')
		run = run[:0]
	}
	for _, r := range s {
		if r >= 0x20 && r <= 0x7e {
			flush()
			if r == '&' {
				b.WriteString("&-")
			} else {
				b.WriteRune(r)
			}
			continue
		}
		run = append(run, r)
	}
	flush()
	return b.String()
}
