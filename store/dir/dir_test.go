package dir_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tamis-mss/tamis/store"
	"github.com/tamis-mss/tamis/store/dir"
	"github.com/tamis-mss/tamis/store/storetest"
)

func open(t *testing.T) (*dir.Store, string) {
	t.Helper()
	root := t.TempDir()
	s, err := dir.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	return s, root
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Backend {
		s, _ := open(t)
		return storetest.Backend{
			Store: s,
			PutLayer: func(ctx context.Context, mailbox string, before bool, name string, text []byte) error {
				pos := dir.After
				if before {
					pos = dir.Before
				}
				return s.PutLayer(ctx, mailbox, pos, name, text)
			},
		}
	})
}

// TestLayout checks the documented layout, which administrators rely on to
// write operator layers by hand and to back up the tree.
func TestLayout(t *testing.T) {
	s, root := open(t)
	ctx := context.Background()
	n, _ := store.ParseScriptName("roundcube")
	if err := s.PutScript(ctx, "Dr.Martin@medecin.mssante.fr", store.Script{Name: n, Sieve: []byte("S"), Policy: []byte("P"), Author: "dr.martin"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetActive(ctx, "dr.martin@medecin.mssante.fr", n); err != nil {
		t.Fatal(err)
	}
	mb := filepath.Join(root, "mailboxes", "dr.martin@medecin.mssante.fr", "scripts")
	for file, want := range map[string]string{"roundcube.sieve": "S", "roundcube.rules": "P", "roundcube.author": "dr.martin", "active": "roundcube"} {
		got, err := os.ReadFile(filepath.Join(mb, file))
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", file, got, err, want)
		}
	}
	// A layer written by hand, and an editor's temporary file beside it.
	if err := os.WriteFile(filepath.Join(root, "operator", "before", "10-securite.rules"), []byte("L"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "operator", "before", ".10-securite.rules.swp"), []byte("junk"), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := s.Sources(ctx, "dr.martin@medecin.mssante.fr")
	if err != nil {
		t.Fatal(err)
	}
	if len(src.Before) != 1 || src.Before[0].Name != "operator/before/10-securite.rules" || string(src.Before[0].Text) != "L" {
		t.Errorf("Before = %+v", src.Before)
	}
	if src.User == nil || src.User.Name != "mailboxes/dr.martin@medecin.mssante.fr/scripts/roundcube.rules" {
		t.Errorf("User = %+v", src.User)
	}
}

func TestBadMailboxAndLayerNames(t *testing.T) {
	s, root := open(t)
	ctx := context.Background()
	n, _ := store.ParseScriptName("a")
	for _, mb := range []string{"", "../../etc", "a/b@x.fr", ".hidden@x.fr", "a\x00@x.fr", "a b@x.fr", strings.Repeat("a", 300)} {
		if err := s.PutScript(ctx, mb, store.Script{Name: n}); err == nil {
			t.Errorf("PutScript to mailbox %q succeeded", mb)
		}
		if _, err := s.Sources(ctx, mb); err == nil {
			t.Errorf("Sources of mailbox %q succeeded", mb)
		}
	}
	for _, name := range []string{"../x.rules", "x.sieve", ".x.rules", "a/b.rules"} {
		if err := s.PutLayer(ctx, "", dir.Before, name, nil); err == nil {
			t.Errorf("PutLayer(%q) succeeded", name)
		}
	}
	if err := s.PutLayer(ctx, "", dir.Position("middle"), "x.rules", nil); err == nil {
		t.Error("PutLayer at an unknown position succeeded")
	}
	if err := s.PutScript(ctx, "x@y.fr", store.Script{}); err == nil {
		t.Error("PutScript with the zero name succeeded")
	}
	entries, _ := os.ReadDir(filepath.Join(root, "mailboxes"))
	if len(entries) != 0 {
		t.Errorf("bad names created %d mailbox directories", len(entries))
	}
}

// TestRepairAfterCrash simulates writes interrupted at each step: a scripts
// directory half built, and the fallback swap interrupted between its two
// renames. The state before the write is what remains.
func TestRepairAfterCrash(t *testing.T) {
	s, root := open(t)
	ctx := context.Background()
	mbox := "dr.martin@medecin.mssante.fr"
	a, _ := store.ParseScriptName("a")
	if err := s.PutScript(ctx, mbox, store.Script{Name: a, Sieve: []byte("S"), Policy: []byte("P")}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetActive(ctx, mbox, a); err != nil {
		t.Fatal(err)
	}
	mb := filepath.Join(root, "mailboxes", mbox)
	// A half-built next state.
	if err := os.MkdirAll(filepath.Join(mb, ".scripts-123", "junk.sieve"), 0o750); err != nil {
		t.Fatal(err)
	}
	// The fallback swap interrupted after moving the current state aside.
	if err := os.Rename(filepath.Join(mb, "scripts"), filepath.Join(mb, ".scripts-prev")); err != nil {
		t.Fatal(err)
	}
	src, err := s.Sources(ctx, mbox)
	if err != nil {
		t.Fatal(err)
	}
	_ = src // readers may see no user layer until a writer repairs
	b, _ := store.ParseScriptName("b")
	if err := s.PutScript(ctx, mbox, store.Script{Name: b, Sieve: []byte("S2"), Policy: []byte("P2")}); err != nil {
		t.Fatal(err)
	}
	infos, err := s.Scripts(ctx, mbox)
	if err != nil {
		t.Fatal(err)
	}
	if len(infos) != 2 || !infos[0].Active || infos[1].Name.String() != "b" {
		t.Errorf("after repair: %+v, want a (active) and b", infos)
	}
	entries, _ := os.ReadDir(mb)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".scripts-") {
			t.Errorf("leftover %s after a write", e.Name())
		}
	}
}

// TestWatchSeesAnotherWriter checks that a change made through another
// Store on the same tree (another tamis process) or by an administrator
// editing a layer by hand is reported.
func TestWatchSeesAnotherWriter(t *testing.T) {
	reader, root := open(t)
	writer, err := dir.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, err := reader.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := store.ParseScriptName("roundcube")
	if err := writer.PutScript(ctx, "dr.martin@medecin.mssante.fr", store.Script{Name: n, Sieve: []byte("keep;")}); err != nil {
		t.Fatal(err)
	}
	wait := func(what, mailbox string) {
		t.Helper()
		deadline := time.After(storetest.WatchLatency)
		for {
			select {
			case c := <-ch:
				if c.Mailbox == mailbox {
					return
				}
			case <-deadline:
				t.Fatalf("%s: no change reported", what)
			}
		}
	}
	wait("a write by another Store", "dr.martin@medecin.mssante.fr")
	if err := os.WriteFile(filepath.Join(root, "operator", "after", "90-archive.rules"), []byte("rule \"a\" { file into \"Archive\" }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wait("a layer written by hand", "")
}
