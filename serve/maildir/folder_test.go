package maildir

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseFolder(t *testing.T) {
	for _, tt := range []struct {
		name string
		sep  byte
		dir  string // "" for the inbox
	}{
		{"INBOX", '/', ""},
		{"inbox", '.', ""},
		{"Archives", '/', ".Archives"},
		{"Archives/2025", '/', ".Archives.2025"},
		{"Archives.2025", '.', ".Archives.2025"},
		{"INBOX/Labo", '/', ".INBOX.Labo"},
		{"inbox/Labo", '/', ".INBOX.Labo"},
		{"Résultats", '/', ".R&AOk-sultats"},
		{"Comptes & factures", '/', ".Comptes &- factures"},
		{"日本語", '/', ".&ZeVnLIqe-"},
		{"😀", '/', ".&2D3eAA-"},
	} {
		f, err := ParseFolder(tt.name, tt.sep)
		if err != nil {
			t.Errorf("ParseFolder(%q, %q): %v", tt.name, tt.sep, err)
			continue
		}
		if f.Dir() != tt.dir || f.IsInbox() != (tt.dir == "") {
			t.Errorf("ParseFolder(%q, %q).Dir() = %q; want %q", tt.name, tt.sep, f.Dir(), tt.dir)
		}
	}
}

func TestParseFolderRefuses(t *testing.T) {
	for _, tt := range []struct {
		name string
		sep  byte
		why  string
	}{
		{"", '/', "empty"},
		{"..", '.', "empty level"},
		{"../../etc", '/', `"." or "/"`},
		{"a/../b", '/', `"." or "/"`},
		{"/abs", '/', "empty level"},
		{"a//b", '/', "empty level"},
		{"a/", '/', "empty level"},
		{"v1.2", '/', `"." or "/"`},
		{"a/b", '.', `"." or "/"`},
		{"tab\there", '/', "control character"},
		{"nul\x00", '/', "control character"},
		{"\xff", '/', "UTF-8"},
		{strings.Repeat("a", 300), '/', "longer than"},
		{"x", ':', "separator"},
	} {
		_, err := ParseFolder(tt.name, tt.sep)
		if !errors.Is(err, ErrFolder) || !strings.Contains(err.Error(), tt.why) {
			t.Errorf("ParseFolder(%q, %q) = %v; want an ErrFolder saying %q", tt.name, tt.sep, err, tt.why)
		}
	}
}

// FuzzParseFolder checks that an accepted name never leaves the Maildir:
// its directory is one path element, starting with ".", directly under
// the root.
func FuzzParseFolder(f *testing.F) {
	for _, s := range []string{"INBOX", "Archives/2025", "../x", "Résultats", "a.b", "&"} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, name string, slash bool) {
		sep := byte('.')
		if slash {
			sep = '/'
		}
		fo, err := ParseFolder(name, sep)
		if err != nil {
			return
		}
		if fo.IsInbox() {
			return
		}
		root := "/srv/mail/box"
		p := New(root).FolderPath(fo)
		if filepath.Dir(p) != root || !strings.HasPrefix(filepath.Base(p), ".") || filepath.Base(p) == "." || filepath.Base(p) == ".." {
			t.Fatalf("folder %q (sep %q) maps to %q, outside %s or not a Maildir++ folder", name, sep, p, root)
		}
		for _, c := range []byte(fo.Dir()) {
			if c < 0x20 || c >= 0x7f {
				t.Fatalf("folder %q: directory name %q has byte %#x; modified UTF-7 is printable ASCII", name, fo.Dir(), c)
			}
		}
	})
}
