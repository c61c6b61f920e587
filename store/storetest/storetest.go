// Package storetest is the conformance suite of store.Store: every backend
// (store/dir, a cluster backend) runs Run from its own tests, so that the
// ManageSieve server and the delivery agent can rely on the same behaviour
// whichever backend an operator chooses.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tamis-mss/tamis/store"
)

// Backend is a fresh, empty store under test and the backend-specific way
// to write operator layers, which store.Store leaves to administrators.
type Backend struct {
	Store store.Store
	// PutLayer writes the operator layer name (a file name ending in
	// ".rules"), run before the user's policy when before is true, else
	// after it; for every mailbox when mailbox is "", else for that mailbox
	// only. Layers run in name order.
	PutLayer func(ctx context.Context, mailbox string, before bool, name string, text []byte) error
}

// WatchLatency is the longest a change may take to be reported by Watch.
const WatchLatency = time.Second

// Run runs the conformance suite; open returns a fresh, empty backend for
// each subtest.
func Run(t *testing.T, open func(t *testing.T) Backend) {
	tests := []struct {
		name string
		fn   func(t *testing.T, b Backend)
	}{
		{"Empty", testEmpty},
		{"PutGetVerbatim", testPutGetVerbatim},
		{"ListSortedWithSizes", testList},
		{"Replace", testReplace},
		{"ActivateAndSources", testActivate},
		{"Delete", testDelete},
		{"Rename", testRename},
		{"MailboxCaseInsensitive", testMailboxCase},
		{"MailboxesIsolated", testIsolation},
		{"Layers", testLayers},
		{"Version", testVersion},
		{"Watch", testWatch},
		{"WatchEndsWithContext", testWatchEnds},
		{"CancelledContext", testCancelled},
		{"ConcurrentWriters", testConcurrentWriters},
		{"ConcurrentActivation", testConcurrentActivation},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, open(t))
		})
	}
}

const mbox = "dr.martin@medecin.mssante.fr"

func name(t *testing.T, s string) store.ScriptName {
	t.Helper()
	n, err := store.ParseScriptName(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func script(t *testing.T, n, sieve, policy string) store.Script {
	return store.Script{Name: name(t, n), Sieve: []byte(sieve), Policy: []byte(policy), Author: "dr.martin"}
}

func put(t *testing.T, st store.Store, mailbox string, sc store.Script) {
	t.Helper()
	if err := st.PutScript(context.Background(), mailbox, sc); err != nil {
		t.Fatalf("PutScript(%s, %q): %v", mailbox, sc.Name, err)
	}
}

func activate(t *testing.T, st store.Store, mailbox, n string) {
	t.Helper()
	var sn store.ScriptName
	if n != "" {
		sn = name(t, n)
	}
	if err := st.SetActive(context.Background(), mailbox, sn); err != nil {
		t.Fatalf("SetActive(%s, %q): %v", mailbox, n, err)
	}
}

func sources(t *testing.T, st store.Store, mailbox string) store.Sources {
	t.Helper()
	src, err := st.Sources(context.Background(), mailbox)
	if err != nil {
		t.Fatalf("Sources(%s): %v", mailbox, err)
	}
	return src
}

func listing(t *testing.T, st store.Store, mailbox string) string {
	t.Helper()
	infos, err := st.Scripts(context.Background(), mailbox)
	if err != nil {
		t.Fatalf("Scripts(%s): %v", mailbox, err)
	}
	var parts []string
	for _, in := range infos {
		s := fmt.Sprintf("%s:%d", in.Name, in.Size)
		if in.Active {
			s += "*"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: error %v, want %v", what, err, want)
	}
}

func testEmpty(t *testing.T, b Backend) {
	if got := listing(t, b.Store, mbox); got != "" {
		t.Errorf("Scripts of an unknown mailbox = %q, want none", got)
	}
	_, err := b.Store.Script(context.Background(), mbox, name(t, "absent"))
	wantErr(t, "Script of an unknown mailbox", err, store.ErrNoScript)
	src := sources(t, b.Store, mbox)
	if src.User != nil || len(src.Before) != 0 || len(src.After) != 0 {
		t.Errorf("Sources of an unknown mailbox = %+v, want nothing", src)
	}
	if src.Mailbox != mbox {
		t.Errorf("Sources.Mailbox = %q, want %q", src.Mailbox, mbox)
	}
	if src.Version == "" {
		t.Error("Sources.Version is empty")
	}
	if again := sources(t, b.Store, mbox); again.Version != src.Version {
		t.Errorf("Version changed without a change: %q then %q", src.Version, again.Version)
	}
}

func testPutGetVerbatim(t *testing.T, b Backend) {
	// CRLF, a tab, UTF-8, a NUL and no final line break: kept byte for byte.
	sieve := "require [\"vacation\"];\r\n# rule:[Congés]\r\nif true\r\n{\r\n\tvacation \"Absent\\\"\";\r\n}\x00é"
	policy := "vacation \"Congés\" {\n    reply \"Absent\"\n}\n"
	put(t, b.Store, mbox, script(t, "Congés d'été", sieve, policy))
	got, err := b.Store.Script(context.Background(), mbox, name(t, "Congés d'été"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Sieve) != sieve || string(got.Policy) != policy || got.Author != "dr.martin" || got.Name.String() != "Congés d'été" {
		t.Errorf("Script = %+v\nwant the Sieve, policy and author written", got)
	}
	// An empty script is a script.
	put(t, b.Store, mbox, script(t, "vide", "", ""))
	got, err = b.Store.Script(context.Background(), mbox, name(t, "vide"))
	if err != nil || len(got.Sieve) != 0 {
		t.Errorf("empty script: %+v, %v", got, err)
	}
}

func testList(t *testing.T, b Backend) {
	put(t, b.Store, mbox, script(t, "roundcube", "12345", "p"))
	put(t, b.Store, mbox, script(t, "Absence", "1", "p"))
	put(t, b.Store, mbox, script(t, "filtres 2025", "123", "p"))
	if got, want := listing(t, b.Store, mbox), "Absence:1 filtres 2025:3 roundcube:5"; got != want {
		t.Errorf("Scripts = %q, want %q", got, want)
	}
}

func testReplace(t *testing.T, b Backend) {
	put(t, b.Store, mbox, script(t, "roundcube", "old sieve", "old policy"))
	activate(t, b.Store, mbox, "roundcube")
	before := sources(t, b.Store, mbox)
	put(t, b.Store, mbox, script(t, "roundcube", "new", "new policy"))
	got, err := b.Store.Script(context.Background(), mbox, name(t, "roundcube"))
	if err != nil || string(got.Sieve) != "new" || string(got.Policy) != "new policy" {
		t.Fatalf("after replace: %+v, %v", got, err)
	}
	if l := listing(t, b.Store, mbox); l != "roundcube:3*" {
		t.Errorf("replacing the active script: listing %q, want it still active", l)
	}
	after := sources(t, b.Store, mbox)
	if after.User == nil || string(after.User.Text) != "new policy" {
		t.Errorf("replacing the active script did not change the user layer at once: %+v", after.User)
	}
	if after.Version == before.Version {
		t.Error("Version did not change when the active script was replaced")
	}
}

func testActivate(t *testing.T, b Backend) {
	put(t, b.Store, mbox, script(t, "a", "sieve a", "policy a"))
	put(t, b.Store, mbox, script(t, "b", "sieve b", "policy b"))
	if src := sources(t, b.Store, mbox); src.User != nil {
		t.Errorf("no active script but Sources.User = %+v", src.User)
	}
	err := b.Store.SetActive(context.Background(), mbox, name(t, "absent"))
	wantErr(t, "SetActive of a missing script", err, store.ErrNoScript)

	activate(t, b.Store, mbox, "a")
	if l := listing(t, b.Store, mbox); l != "a:7* b:7" {
		t.Errorf("listing %q", l)
	}
	src := sources(t, b.Store, mbox)
	if src.User == nil || string(src.User.Text) != "policy a" || src.User.Name == "" {
		t.Fatalf("Sources.User = %+v, want policy a with a name", src.User)
	}
	activate(t, b.Store, mbox, "b")
	if l := listing(t, b.Store, mbox); l != "a:7 b:7*" {
		t.Errorf("one active script at most: listing %q", l)
	}
	if src := sources(t, b.Store, mbox); src.User == nil || string(src.User.Text) != "policy b" {
		t.Errorf("Sources.User = %+v, want policy b", src.User)
	}
	activate(t, b.Store, mbox, "b") // again: no error
	activate(t, b.Store, mbox, "")
	if l := listing(t, b.Store, mbox); l != "a:7 b:7" {
		t.Errorf("after deactivation: listing %q", l)
	}
	if src := sources(t, b.Store, mbox); src.User != nil {
		t.Errorf("after deactivation Sources.User = %+v", src.User)
	}
	activate(t, b.Store, mbox, "") // deactivating nothing is fine
}

func testDelete(t *testing.T, b Backend) {
	ctx := context.Background()
	put(t, b.Store, mbox, script(t, "a", "1", "p"))
	put(t, b.Store, mbox, script(t, "b", "2", "p"))
	activate(t, b.Store, mbox, "a")
	wantErr(t, "DeleteScript of the active script", b.Store.DeleteScript(ctx, mbox, name(t, "a")), store.ErrActive)
	wantErr(t, "DeleteScript of a missing script", b.Store.DeleteScript(ctx, mbox, name(t, "c")), store.ErrNoScript)
	if err := b.Store.DeleteScript(ctx, mbox, name(t, "b")); err != nil {
		t.Fatal(err)
	}
	if l := listing(t, b.Store, mbox); l != "a:1*" {
		t.Errorf("listing %q", l)
	}
	_, err := b.Store.Script(ctx, mbox, name(t, "b"))
	wantErr(t, "Script after delete", err, store.ErrNoScript)
	activate(t, b.Store, mbox, "")
	if err := b.Store.DeleteScript(ctx, mbox, name(t, "a")); err != nil {
		t.Fatal(err)
	}
	if l := listing(t, b.Store, mbox); l != "" {
		t.Errorf("listing %q, want empty", l)
	}
}

func testRename(t *testing.T, b Backend) {
	ctx := context.Background()
	put(t, b.Store, mbox, script(t, "a", "sieve a", "policy a"))
	put(t, b.Store, mbox, script(t, "b", "sieve b", "policy b"))
	activate(t, b.Store, mbox, "a")
	wantErr(t, "rename of a missing script", b.Store.RenameScript(ctx, mbox, name(t, "x"), name(t, "y")), store.ErrNoScript)
	wantErr(t, "rename onto an existing script", b.Store.RenameScript(ctx, mbox, name(t, "a"), name(t, "b")), store.ErrExists)
	if err := b.Store.RenameScript(ctx, mbox, name(t, "a"), name(t, "Congés")); err != nil {
		t.Fatal(err)
	}
	if l := listing(t, b.Store, mbox); l != "Congés:7* b:7" {
		t.Errorf("after renaming the active script: listing %q", l)
	}
	got, err := b.Store.Script(ctx, mbox, name(t, "Congés"))
	if err != nil || string(got.Sieve) != "sieve a" || string(got.Policy) != "policy a" || got.Author != "dr.martin" {
		t.Errorf("renamed script: %+v, %v", got, err)
	}
	if src := sources(t, b.Store, mbox); src.User == nil || string(src.User.Text) != "policy a" {
		t.Errorf("renamed active script: Sources.User = %+v", src.User)
	}
	_, err = b.Store.Script(ctx, mbox, name(t, "a"))
	wantErr(t, "old name after rename", err, store.ErrNoScript)
	if err := b.Store.RenameScript(ctx, mbox, name(t, "b"), name(t, "c")); err != nil {
		t.Fatal(err)
	}
	if l := listing(t, b.Store, mbox); l != "Congés:7* c:7" {
		t.Errorf("after renaming an inactive script: listing %q", l)
	}
}

func testMailboxCase(t *testing.T, b Backend) {
	put(t, b.Store, "Dr.Martin@Medecin.MSSante.fr", script(t, "a", "1", "p"))
	if l := listing(t, b.Store, mbox); l != "a:1" {
		t.Errorf("mailboxes differ only by case but listing %q", l)
	}
	if src := sources(t, b.Store, "DR.MARTIN@medecin.mssante.fr"); src.Mailbox != mbox {
		t.Errorf("Sources.Mailbox = %q, want it lower-cased", src.Mailbox)
	}
	mbs, err := b.Store.Mailboxes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(mbs, []string{mbox}) {
		t.Errorf("Mailboxes = %q, want [%s]", mbs, mbox)
	}
}

func testIsolation(t *testing.T, b Backend) {
	other := "secretariat@chu-nantes.mssante.fr"
	put(t, b.Store, mbox, script(t, "a", "1", "p1"))
	activate(t, b.Store, mbox, "a")
	put(t, b.Store, other, script(t, "a", "22", "p2"))
	if l := listing(t, b.Store, other); l != "a:2" {
		t.Errorf("other mailbox: listing %q", l)
	}
	if src := sources(t, b.Store, other); src.User != nil {
		t.Errorf("activation leaked to another mailbox: %+v", src.User)
	}
	mbs, err := b.Store.Mailboxes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(mbs)
	if !slices.Equal(mbs, []string{mbox, other}) {
		t.Errorf("Mailboxes = %q", mbs)
	}
}

func layerNames(ls []store.Layer) string {
	var parts []string
	for _, l := range ls {
		parts = append(parts, string(l.Text))
	}
	return strings.Join(parts, ",")
}

func testLayers(t *testing.T, b Backend) {
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(b.PutLayer(ctx, "", true, "20-b.rules", []byte("global-before-20")))
	must(b.PutLayer(ctx, "", true, "10-a.rules", []byte("global-before-10")))
	must(b.PutLayer(ctx, "", false, "90-z.rules", []byte("global-after-90")))
	must(b.PutLayer(ctx, mbox, true, "50-own.rules", []byte("own-before")))
	must(b.PutLayer(ctx, mbox, false, "50-own.rules", []byte("own-after")))
	put(t, b.Store, mbox, script(t, "a", "s", "user"))
	activate(t, b.Store, mbox, "a")
	src := sources(t, b.Store, mbox)
	if got, want := layerNames(src.Before), "global-before-10,global-before-20,own-before"; got != want {
		t.Errorf("Before = %s, want %s", got, want)
	}
	if got, want := layerNames(src.After), "own-after,global-after-90"; got != want {
		t.Errorf("After = %s, want %s", got, want)
	}
	if src.User == nil || string(src.User.Text) != "user" {
		t.Errorf("User = %+v", src.User)
	}
	seen := map[string]bool{}
	for _, l := range slices.Concat(src.Before, src.After) {
		if l.Name == "" || seen[l.Name] {
			t.Errorf("layer name %q is empty or not unique", l.Name)
		}
		seen[l.Name] = true
	}
	other := sources(t, b.Store, "autre@medecin.mssante.fr")
	if got, want := layerNames(other.Before)+"|"+layerNames(other.After), "global-before-10,global-before-20|global-after-90"; got != want {
		t.Errorf("another mailbox's layers = %s, want only the global ones: %s", got, want)
	}
}

func testVersion(t *testing.T, b Backend) {
	ctx := context.Background()
	v := func() string { return sources(t, b.Store, mbox).Version }
	seen := map[string]string{}
	step := func(what string) {
		t.Helper()
		got := v()
		if prev, ok := seen[got]; ok {
			t.Errorf("Version after %s equals the Version after %s", what, prev)
		}
		seen[got] = what
	}
	step("nothing")
	put(t, b.Store, mbox, script(t, "a", "s", "policy 1"))
	activate(t, b.Store, mbox, "a")
	step("activation")
	put(t, b.Store, mbox, script(t, "a", "s", "policy 2"))
	step("replacing the active script")
	if err := b.PutLayer(ctx, "", true, "10.rules", []byte("x")); err != nil {
		t.Fatal(err)
	}
	step("a global layer")
	if err := b.PutLayer(ctx, mbox, false, "10.rules", []byte("y")); err != nil {
		t.Fatal(err)
	}
	step("a mailbox layer")
	same := v()
	put(t, b.Store, mbox, script(t, "inactive", "s", "other"))
	if v() != same {
		t.Error("Version changed when an inactive script was written: readers would recompile for nothing")
	}
}

// waitChange waits for a Change naming mailbox, or one with an empty Mailbox.
func waitChange(t *testing.T, ch <-chan store.Change, mailbox, what string) {
	t.Helper()
	deadline := time.After(WatchLatency)
	for {
		select {
		case c, ok := <-ch:
			if !ok {
				t.Fatalf("%s: the watch channel closed", what)
			}
			if c.Mailbox == "" || c.Mailbox == mailbox {
				return
			}
		case <-deadline:
			t.Fatalf("%s: no change for %s reported within %v", what, mailbox, WatchLatency)
		}
	}
}

// drain empties ch of the notifications already queued.
func drain(ch <-chan store.Change) {
	for {
		select {
		case <-ch:
		case <-time.After(50 * time.Millisecond):
			return
		}
	}
}

func testWatch(t *testing.T, b Backend) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, err := b.Store.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	newbox := "nouveau@medecin.mssante.fr"
	put(t, b.Store, newbox, script(t, "a", "s", "p"))
	waitChange(t, ch, newbox, "PutScript in a new mailbox")
	drain(ch)
	activate(t, b.Store, newbox, "a")
	waitChange(t, ch, newbox, "SetActive")
	drain(ch)
	put(t, b.Store, newbox, script(t, "a", "s", "p2"))
	waitChange(t, ch, newbox, "replacing the active script")
	drain(ch)
	if err := b.PutLayer(ctx, newbox, true, "10.rules", []byte("x")); err != nil {
		t.Fatal(err)
	}
	waitChange(t, ch, newbox, "a new mailbox layer")
	drain(ch)
	if err := b.PutLayer(ctx, "", false, "10.rules", []byte("x")); err != nil {
		t.Fatal(err)
	}
	// A global layer concerns every mailbox: the Change must say so.
	deadline := time.After(WatchLatency)
	for got := false; !got; {
		select {
		case c := <-ch:
			got = c.Mailbox == ""
		case <-deadline:
			t.Fatal("a global layer change was not reported as a Change with an empty Mailbox")
		}
	}
}

func testWatchEnds(t *testing.T, b Backend) {
	ctx, cancel := context.WithCancel(context.Background())
	ch, err := b.Store.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	deadline := time.After(WatchLatency)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("the watch channel was not closed when its context ended")
		}
	}
}

func testCancelled(t *testing.T, b Backend) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := b.Store.PutScript(ctx, mbox, script(t, "a", "s", "p")); err == nil {
		t.Error("PutScript with a cancelled context succeeded")
	}
	if l := listing(t, b.Store, mbox); l != "" {
		t.Errorf("a cancelled PutScript left %q", l)
	}
}

// testConcurrentWriters has writers replace one active script while readers
// check that every script and every user layer they see is one that a writer
// wrote whole: the Sieve text and the policy of one version, never a mix.
func testConcurrentWriters(t *testing.T, b Backend) {
	ctx := context.Background()
	put(t, b.Store, mbox, script(t, "roundcube", "sieve w-1", "policy w-1"))
	activate(t, b.Store, mbox, "roundcube")
	const writers, writes = 4, 20
	payload := strings.Repeat("x", 64<<10) // big enough for a torn write to show
	var wg sync.WaitGroup
	done := make(chan struct{})
	errs := make(chan error, 100)
	for w := range writers {
		wg.Go(func() {
			for i := range writes {
				tag := fmt.Sprintf("w%d-%d", w, i)
				sc := script(t, "roundcube", "sieve "+tag+payload, "policy "+tag+payload)
				if err := b.Store.PutScript(ctx, mbox, sc); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	var readers sync.WaitGroup
	check := func(sieve, policy []byte) error {
		s, ok1 := bytes.CutPrefix(sieve, []byte("sieve "))
		p, ok2 := bytes.CutPrefix(policy, []byte("policy "))
		if !ok1 || !ok2 || !bytes.Equal(s, p) {
			return fmt.Errorf("torn script: sieve %.20q… policy %.20q…", sieve, policy)
		}
		if len(s) != len("w-1") && !bytes.HasSuffix(s, []byte(payload)) {
			return fmt.Errorf("half-written script of %d bytes", len(s))
		}
		return nil
	}
	for range 2 {
		readers.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				sc, err := b.Store.Script(ctx, mbox, name(t, "roundcube"))
				if err == nil {
					// The user layer must equal a whole policy too.
					err = check(sc.Sieve, sc.Policy)
				}
				if err == nil {
					var src store.Sources
					src, err = b.Store.Sources(ctx, mbox)
					if err == nil && src.User == nil {
						err = errors.New("the active script vanished during writes")
					} else if err == nil {
						err = check([]byte("sieve "+strings.TrimPrefix(string(src.User.Text), "policy ")), src.User.Text)
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(done)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	sc, err := b.Store.Script(ctx, mbox, name(t, "roundcube"))
	if err != nil {
		t.Fatal(err)
	}
	if err := check(sc.Sieve, sc.Policy); err != nil {
		t.Error(err)
	}
	if !bytes.HasPrefix(sc.Sieve, []byte("sieve w")) || !strings.HasSuffix(strings.SplitN(string(sc.Sieve), "x", 2)[0], fmt.Sprint(writes-1)) {
		t.Errorf("the last write of some writer should win, got %.20q", sc.Sieve)
	}
	if l := listing(t, b.Store, mbox); !strings.HasSuffix(l, "*") || strings.Count(l, ":") != 1 {
		t.Errorf("after concurrent writes: listing %q, want one active script", l)
	}
}

// testConcurrentActivation races activations, renames and uploads of
// several scripts; at the end exactly one consistent state remains.
func testConcurrentActivation(t *testing.T, b Backend) {
	ctx := context.Background()
	for _, n := range []string{"a", "b", "c"} {
		put(t, b.Store, mbox, script(t, n, "sieve "+n, "policy "+n))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for _, n := range []string{"a", "b", "c"} {
		wg.Go(func() {
			for range 20 {
				if err := b.Store.SetActive(ctx, mbox, name(t, n)); err != nil {
					errs <- err
					return
				}
				src, err := b.Store.Sources(ctx, mbox)
				if err != nil {
					errs <- err
					return
				}
				if src.User == nil || !strings.HasPrefix(string(src.User.Text), "policy ") {
					errs <- fmt.Errorf("user layer %+v during activations", src.User)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for i := range 20 {
			from, to := "d", "e"
			if i%2 == 1 {
				from, to = to, from
			}
			if i == 0 {
				if err := b.Store.PutScript(ctx, mbox, script(t, "d", "sieve d", "policy d")); err != nil {
					errs <- err
					return
				}
			}
			if err := b.Store.RenameScript(ctx, mbox, name(t, from), name(t, to)); err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	l := listing(t, b.Store, mbox)
	if strings.Count(l, "*") != 1 || !strings.Contains(l, "d:7") {
		t.Errorf("listing %q: want a, b, c, d with exactly one active", l)
	}
}
