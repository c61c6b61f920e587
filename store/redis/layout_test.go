package redis_test

import (
	"context"
	"slices"
	"testing"

	"github.com/alicebob/miniredis/v2"
	goredis "github.com/redis/go-redis/v9"

	"github.com/tamis-mss/tamis/store"
	storeredis "github.com/tamis-mss/tamis/store/redis"
)

// TestLayout checks the documented keys and fields, which operators rely on
// to inspect and back up the store.
func TestLayout(t *testing.T) {
	mr := miniredis.RunT(t)
	c := goredis.NewClient(&goredis.Options{Addr: mr.Addr()})
	defer c.Close()
	s := storeredis.New(c, storeredis.Options{Prefix: "nantes:"})
	ctx := context.Background()
	sc := scriptNamed(t, "roundcube", "P")
	if err := s.PutScript(ctx, "Dr.Martin@medecin.mssante.fr", sc); err != nil {
		t.Fatal(err)
	}
	if err := s.SetActive(ctx, mbox, sc.Name); err != nil {
		t.Fatal(err)
	}
	if err := s.PutLayer(ctx, "", storeredis.Before, "10-securite.rules", []byte("L")); err != nil {
		t.Fatal(err)
	}
	if err := s.PutLayer(ctx, mbox, storeredis.After, "90-archive.rules", []byte("A")); err != nil {
		t.Fatal(err)
	}
	keys := mr.Keys()
	want := []string{"nantes:{policies}:generation", "nantes:{policies}:mailbox:" + mbox, "nantes:{policies}:mailboxes", "nantes:{policies}:operator"}
	if !slices.Equal(keys, want) {
		t.Errorf("keys = %q, want %q", keys, want)
	}
	h, _ := mr.HKeys("nantes:{policies}:mailbox:" + mbox)
	if wantFields := []string{"active", "after:90-archive.rules", "author:roundcube", "rules:roundcube", "sieve:roundcube"}; !slices.Equal(h, wantFields) {
		t.Errorf("mailbox fields = %q, want %q", h, wantFields)
	}
	if g, _ := mr.Get("nantes:{policies}:generation"); g != "4" {
		t.Errorf("generation = %s after 4 writes", g)
	}
	src, err := s.Sources(ctx, mbox)
	if err != nil {
		t.Fatal(err)
	}
	if len(src.Before) != 1 || src.Before[0].Name != "operator/before/10-securite.rules" ||
		len(src.After) != 1 || src.After[0].Name != "mailboxes/"+mbox+"/after/90-archive.rules" ||
		src.User == nil || src.User.Name != "mailboxes/"+mbox+"/scripts/roundcube.rules" {
		t.Errorf("layer names differ from store/dir's: %+v", src)
	}
	// A mailbox whose last script and layer are gone is forgotten.
	if err := s.SetActive(ctx, mbox, store.ScriptName{}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteScript(ctx, mbox, sc.Name); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteLayer(ctx, mbox, storeredis.After, "90-archive.rules"); err != nil {
		t.Fatal(err)
	}
	if mbs, err := s.Mailboxes(ctx); err != nil || len(mbs) != 0 {
		t.Errorf("Mailboxes after removing everything = %q, %v", mbs, err)
	}
	if err := s.DeleteLayer(ctx, mbox, storeredis.After, "90-archive.rules"); err == nil {
		t.Error("deleting a missing layer succeeded")
	}
	if ls, err := s.Layers(ctx, "", storeredis.Before); err != nil || len(ls) != 1 || string(ls[0].Text) != "L" {
		t.Errorf("Layers = %+v, %v", ls, err)
	}
}

func TestBadNames(t *testing.T) {
	mr := miniredis.RunT(t)
	c := goredis.NewClient(&goredis.Options{Addr: mr.Addr()})
	defer c.Close()
	s := storeredis.New(c, storeredis.Options{})
	ctx := context.Background()
	for _, mb := range []string{"", "a b@x", ".hidden", "a/b@x", "a\x00@x"} {
		if err := s.PutScript(ctx, mb, scriptNamed(t, "a", "p")); err == nil {
			t.Errorf("PutScript for mailbox %q succeeded", mb)
		}
	}
	for _, n := range []string{"x.txt", "../x.rules", ".x.rules", ""} {
		if err := s.PutLayer(ctx, "", storeredis.Before, n, nil); err == nil {
			t.Errorf("PutLayer %q succeeded", n)
		}
	}
	if err := s.PutLayer(ctx, "", "middle", "x.rules", nil); err == nil {
		t.Error("PutLayer at a bad position succeeded")
	}
	if len(mr.Keys()) != 0 {
		t.Errorf("refused writes left keys: %q", mr.Keys())
	}
}
