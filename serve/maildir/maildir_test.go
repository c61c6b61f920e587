package maildir

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const msg = "From: a@chu-nantes.mssante.fr\r\nTo: b@medecin.mssante.fr\r\nSubject: test\r\n\r\nBonjour,\r\n.\r\nfin\r\n"

func folder(t *testing.T, name string) Folder {
	t.Helper()
	f, err := ParseFolder(name, '/')
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestDeliverInboxAndFolder(t *testing.T) {
	root := filepath.Join(t.TempDir(), "Maildir")
	m := New(root)
	d, err := m.Deliver([]byte(msg), []Folder{Inbox, folder(t, "Archives/2025"), Inbox}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Paths) != 2 {
		t.Fatalf("paths %v; want one per distinct folder", d.Paths)
	}
	for i, dir := range []string{filepath.Join(root, "new"), filepath.Join(root, ".Archives.2025", "new")} {
		if filepath.Dir(d.Paths[i]) != dir {
			t.Errorf("path %d = %s; want in %s", i, d.Paths[i], dir)
		}
		data, err := os.ReadFile(d.Paths[i])
		if err != nil {
			t.Fatal(err)
		}
		want := strings.ReplaceAll(msg, "\r\n", "\n")
		if string(data) != want {
			t.Errorf("stored %q; want %q (LF line ends)", data, want)
		}
		if !strings.Contains(d.Paths[i], ",S="+itoa(len(want))+",W="+itoa(len(msg))) {
			t.Errorf("name %s lacks S=%d,W=%d", d.Paths[i], len(want), len(msg))
		}
	}
	if _, err := os.Stat(filepath.Join(root, ".Archives.2025", "maildirfolder")); err != nil {
		t.Errorf("sub-folder without maildirfolder: %v", err)
	}
	if n := files(t, filepath.Join(root, "tmp")); len(n) != 0 {
		t.Errorf("tmp holds %v after delivery; want empty", n)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestDeliverFlags(t *testing.T) {
	root := filepath.Join(t.TempDir(), "Maildir")
	m := New(root)
	d, err := m.Deliver([]byte(msg), []Folder{Inbox}, []string{`\Seen`, `\flagged`, "$Urgent", "Labo", `\Unknown`, "bad(kw"})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(d.Paths[0]) != filepath.Join(root, "cur") || !strings.HasSuffix(d.Paths[0], ":2,FSab") {
		t.Fatalf("path %s; want cur/…:2,FSab", d.Paths[0])
	}
	kw, err := os.ReadFile(filepath.Join(root, keywordsFile))
	if err != nil {
		t.Fatal(err)
	}
	if string(kw) != "0 $Urgent\n1 Labo\n" {
		t.Fatalf("dovecot-keywords = %q", kw)
	}
	// A second delivery reuses the slots and adds the new keyword after them.
	d, err = m.Deliver([]byte(msg), []Folder{Inbox}, []string{"Labo", "Suivi"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(d.Paths[0], ":2,bc") {
		t.Fatalf("path %s; want :2,bc", d.Paths[0])
	}
}

func TestDeliverTooManyKeywords(t *testing.T) {
	root := filepath.Join(t.TempDir(), "Maildir")
	var flags []string
	for i := range 28 {
		flags = append(flags, "k"+itoa(i))
	}
	d, err := New(root).Deliver([]byte(msg), []Folder{Inbox}, flags)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Dropped) != 2 || d.Dropped[0] != "k26" {
		t.Fatalf("dropped %v; want k26 and k27", d.Dropped)
	}
}

func TestDeliverFailureLeavesNothing(t *testing.T) {
	root := filepath.Join(t.TempDir(), "Maildir")
	m := New(root)
	if _, err := m.Deliver([]byte(msg), []Folder{Inbox}, nil); err != nil {
		t.Fatal(err)
	}
	broken := folder(t, "Lecture")
	if _, err := m.Deliver([]byte(msg), []Folder{broken}, nil); err != nil {
		t.Fatal(err)
	}
	// A file where the folder's new/ should be: linking into it fails, even
	// for root, whom permissions would not stop.
	newDir := filepath.Join(root, ".Lecture", "new")
	if err := os.RemoveAll(newDir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(newDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	before := len(files(t, filepath.Join(root, "new")))
	if _, err := m.Deliver([]byte(msg), []Folder{Inbox, broken}, nil); err == nil {
		t.Fatal("delivery into a broken folder succeeded")
	}
	if after := len(files(t, filepath.Join(root, "new"))); after != before {
		t.Fatalf("the inbox holds %d messages after the failed delivery, %d before: the partial delivery was not undone", after, before)
	}
	if n := files(t, filepath.Join(root, "tmp")); len(n) != 0 {
		t.Errorf("tmp holds %v after a failed delivery", n)
	}
}
