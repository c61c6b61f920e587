package dir

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/tamis-mss/tamis/store"
)

// Directory and file names of the layout (see the package documentation).
const (
	operatorDir  = "operator"
	mailboxesDir = "mailboxes"
	scriptsDir   = "scripts"
	lockFile     = ".lock"
	activeFile   = "active"
	sieveExt     = ".sieve"
	rulesExt     = ".rules"
	authorExt    = ".author"
)

// Position says whether an operator layer runs before or after the user's
// policy.
type Position string

// Positions of operator layers.
const (
	Before Position = "before"
	After  Position = "after"
)

// MaxMailboxBytes is the longest mailbox address accepted, in bytes (RFC 5321
// limits a path to 256 octets).
const MaxMailboxBytes = 254

// Store is a policy store in a directory tree. It is safe for concurrent use,
// also by several processes sharing the tree.
type Store struct {
	root string
}

var _ store.Store = (*Store)(nil)

// Open opens the store rooted at root, creating the top directories when
// they are missing.
func Open(root string) (*Store, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("open policy store %s: %w", root, err)
	}
	for _, d := range []string{
		abs,
		filepath.Join(abs, operatorDir),
		filepath.Join(abs, operatorDir, string(Before)),
		filepath.Join(abs, operatorDir, string(After)),
		filepath.Join(abs, mailboxesDir),
	} {
		if err := mkdirDurable(d); err != nil {
			return nil, fmt.Errorf("open policy store %s: %w", root, err)
		}
	}
	return &Store{root: abs}, nil
}

// Root returns the store's root directory.
func (s *Store) Root() string { return s.root }

// mailboxKey validates a mailbox address and returns its directory name.
func mailboxKey(mailbox string) (string, error) {
	key := strings.ToLower(mailbox)
	bad := func(why string) (string, error) {
		return "", fmt.Errorf("invalid mailbox %q: %s", mailbox, why)
	}
	switch {
	case key == "":
		return bad("it is empty")
	case len(key) > MaxMailboxBytes:
		return bad(fmt.Sprintf("it is longer than %d bytes", MaxMailboxBytes))
	case strings.HasPrefix(key, "."):
		return bad(`it starts with "."`)
	case strings.ContainsAny(key, `/\`):
		return bad(`it contains "/" or "\"`)
	}
	for _, r := range key {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == unicode.ReplacementChar {
			return bad(fmt.Sprintf("it contains %U", r))
		}
	}
	return key, nil
}

func (s *Store) mailboxDir(key string) string {
	return filepath.Join(s.root, mailboxesDir, key)
}

// unavailable wraps an I/O error so that callers see store.ErrUnavailable
// and what was being done.
func unavailable(what string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", what, err)
	}
	return fmt.Errorf("%s: %w: %w", what, store.ErrUnavailable, err)
}

// Scripts lists the user's scripts of mailbox, sorted by name.
func (s *Store) Scripts(ctx context.Context, mailbox string) ([]store.ScriptInfo, error) {
	key, err := mailboxKey(mailbox)
	if err != nil {
		return nil, err
	}
	var infos []store.ScriptInfo
	err = s.read(ctx, key, func(dir string) error {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		active, err := readActive(dir)
		if err != nil {
			return err
		}
		for _, e := range entries {
			base, ok := strings.CutSuffix(e.Name(), sieveExt)
			if !ok {
				continue
			}
			name, err := store.ParseScriptName(base)
			if err != nil {
				continue // not written by the store
			}
			fi, err := e.Info()
			if err != nil {
				return err
			}
			infos = append(infos, store.ScriptInfo{Name: name, Size: fi.Size(), Active: base == active})
		}
		return nil
	})
	if err != nil {
		return nil, unavailable("list scripts of "+key, err)
	}
	slices.SortFunc(infos, func(a, b store.ScriptInfo) int { return strings.Compare(a.Name.String(), b.Name.String()) })
	return infos, nil
}

// Script returns one script, or store.ErrNoScript.
func (s *Store) Script(ctx context.Context, mailbox string, name store.ScriptName) (store.Script, error) {
	key, err := mailboxKey(mailbox)
	if err != nil {
		return store.Script{}, err
	}
	if name.IsZero() {
		return store.Script{}, fmt.Errorf("get script of %s: %w", key, store.ErrNoScript)
	}
	sc := store.Script{Name: name}
	missing := true // unless the scripts directory holds it
	err = s.read(ctx, key, func(dir string) error {
		base := filepath.Join(dir, name.String())
		var err error
		if sc.Sieve, err = os.ReadFile(base + sieveExt); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		missing = false
		if sc.Policy, err = os.ReadFile(base + rulesExt); err != nil {
			return err
		}
		author, err := os.ReadFile(base + authorExt)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		sc.Author = string(author)
		return nil
	})
	if err != nil {
		return store.Script{}, unavailable(fmt.Sprintf("get script %q of %s", name, key), err)
	}
	if missing {
		return store.Script{}, fmt.Errorf("get script %q of %s: %w", name, key, store.ErrNoScript)
	}
	return sc, nil
}

// PutScript creates or replaces a script; the last write wins.
func (s *Store) PutScript(ctx context.Context, mailbox string, sc store.Script) error {
	if sc.Name.IsZero() {
		return fmt.Errorf("put script: %w", store.ErrScriptName)
	}
	return s.update(ctx, mailbox, "put script "+quote(sc.Name), func(st *scriptsState) (*plan, error) {
		n := sc.Name.String()
		return &plan{write: map[string][]byte{
			n + sieveExt:  sc.Sieve,
			n + rulesExt:  sc.Policy,
			n + authorExt: []byte(sc.Author),
		}}, nil
	})
}

// DeleteScript removes a script that is not active.
func (s *Store) DeleteScript(ctx context.Context, mailbox string, name store.ScriptName) error {
	return s.update(ctx, mailbox, "delete script "+quote(name), func(st *scriptsState) (*plan, error) {
		n := name.String()
		if name.IsZero() || !st.has(n) {
			return nil, store.ErrNoScript
		}
		if st.active == n {
			return nil, store.ErrActive
		}
		return &plan{drop: scriptFiles(n)}, nil
	})
}

// RenameScript renames a script, keeping it active if it was.
func (s *Store) RenameScript(ctx context.Context, mailbox string, from, to store.ScriptName) error {
	return s.update(ctx, mailbox, fmt.Sprintf("rename script %s to %s", quote(from), quote(to)), func(st *scriptsState) (*plan, error) {
		f, t := from.String(), to.String()
		if from.IsZero() || !st.has(f) {
			return nil, store.ErrNoScript
		}
		if to.IsZero() {
			return nil, store.ErrScriptName
		}
		if st.has(t) {
			return nil, store.ErrExists
		}
		p := &plan{drop: scriptFiles(f), link: map[string]string{}}
		for _, ext := range []string{sieveExt, rulesExt, authorExt} {
			if st.files[f+ext] {
				p.link[t+ext] = f + ext
			}
		}
		if st.active == f {
			p.active = &t
		}
		return p, nil
	})
}

// SetActive makes name the active script; the zero name deactivates all.
func (s *Store) SetActive(ctx context.Context, mailbox string, name store.ScriptName) error {
	return s.update(ctx, mailbox, "activate script "+quote(name), func(st *scriptsState) (*plan, error) {
		n := name.String()
		if !name.IsZero() && !st.has(n) {
			return nil, store.ErrNoScript
		}
		if st.active == n {
			return nil, nil // nothing changes
		}
		return &plan{active: &n}, nil
	})
}

// Sources returns the layers of mailbox and its active script's policy.
func (s *Store) Sources(ctx context.Context, mailbox string) (store.Sources, error) {
	key, err := mailboxKey(mailbox)
	if err != nil {
		return store.Sources{}, err
	}
	src := store.Sources{Mailbox: key}
	what := "read policy sources of " + key
	globalBefore, err := s.readLayers(operatorDir, string(Before))
	if err != nil {
		return store.Sources{}, unavailable(what, err)
	}
	globalAfter, err := s.readLayers(operatorDir, string(After))
	if err != nil {
		return store.Sources{}, unavailable(what, err)
	}
	ownBefore, err := s.readLayers(mailboxesDir, key, string(Before))
	if err != nil {
		return store.Sources{}, unavailable(what, err)
	}
	ownAfter, err := s.readLayers(mailboxesDir, key, string(After))
	if err != nil {
		return store.Sources{}, unavailable(what, err)
	}
	src.Before = append(globalBefore, ownBefore...)
	src.After = append(ownAfter, globalAfter...)
	err = s.read(ctx, key, func(dir string) error {
		active, err := readActive(dir)
		if err != nil || active == "" {
			return err
		}
		text, err := os.ReadFile(filepath.Join(dir, active+rulesExt))
		if errors.Is(err, fs.ErrNotExist) {
			return nil // cannot happen: the scripts directory changes as a whole
		}
		if err != nil {
			return err
		}
		src.User = &store.Layer{Name: filepath.ToSlash(filepath.Join(mailboxesDir, key, scriptsDir, active+rulesExt)), Text: text}
		return nil
	})
	if err != nil {
		return store.Sources{}, unavailable(what, err)
	}
	src.Version = version(src)
	return src, nil
}

// version hashes everything a reader compiles.
func version(src store.Sources) string {
	h := sha256.New()
	layer := func(kind string, l store.Layer) {
		fmt.Fprintf(h, "%s\x00%s\x00%d\x00", kind, l.Name, len(l.Text))
		h.Write(l.Text)
	}
	for _, l := range src.Before {
		layer("before", l)
	}
	if src.User != nil {
		layer("user", *src.User)
	}
	for _, l := range src.After {
		layer("after", l)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// readLayers reads the .rules files of one layer directory, in name order.
func (s *Store) readLayers(rel ...string) ([]store.Layer, error) {
	dir := filepath.Join(append([]string{s.root}, rel...)...)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var layers []store.Layer
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || !strings.HasSuffix(e.Name(), rulesExt) || e.IsDir() {
			continue
		}
		text, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed since the listing
		}
		if err != nil {
			return nil, err
		}
		layers = append(layers, store.Layer{Name: filepath.ToSlash(filepath.Join(append(rel, e.Name())...)), Text: text})
	}
	return layers, nil
}

// Mailboxes lists the mailboxes that have a directory in the store.
func (s *Store) Mailboxes(ctx context.Context) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(filepath.Join(s.root, mailboxesDir))
	if err != nil {
		return nil, unavailable("list mailboxes", err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// PutLayer writes an operator layer atomically: for every mailbox when
// mailbox is "", else for that mailbox only. name is a file name ending in
// ".rules".
func (s *Store) PutLayer(ctx context.Context, mailbox string, pos Position, name string, text []byte) error {
	dir, err := s.layerDir(mailbox, pos, name)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := mkdirDurable(filepath.Dir(dir)); err != nil {
		return unavailable("put layer "+name, err)
	}
	if err := mkdirDurable(dir); err != nil {
		return unavailable("put layer "+name, err)
	}
	if err := writeFileAtomic(dir, name, text); err != nil {
		return unavailable("put layer "+name, err)
	}
	return nil
}

// DeleteLayer removes an operator layer written by PutLayer (or by hand).
func (s *Store) DeleteLayer(ctx context.Context, mailbox string, pos Position, name string) error {
	dir, err := s.layerDir(mailbox, pos, name)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(dir, name)); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("delete layer %s: %w", name, err)
		}
		return unavailable("delete layer "+name, err)
	}
	return unavailable("delete layer "+name, syncDir(dir))
}

func (s *Store) layerDir(mailbox string, pos Position, name string) (string, error) {
	if pos != Before && pos != After {
		return "", fmt.Errorf("layer position %q: want %q or %q", pos, Before, After)
	}
	if _, err := store.ParseScriptName(name); err != nil || !strings.HasSuffix(name, rulesExt) {
		return "", fmt.Errorf("invalid layer name %q: want a file name ending in %s", name, rulesExt)
	}
	if mailbox == "" {
		return filepath.Join(s.root, operatorDir, string(pos)), nil
	}
	key, err := mailboxKey(mailbox)
	if err != nil {
		return "", err
	}
	return filepath.Join(s.mailboxDir(key), string(pos)), nil
}

func quote(n store.ScriptName) string { return fmt.Sprintf("%q", n.String()) }

func scriptFiles(n string) map[string]bool {
	return map[string]bool{n + sieveExt: true, n + rulesExt: true, n + authorExt: true}
}
