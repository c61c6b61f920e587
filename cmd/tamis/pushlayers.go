package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/mssante"
	"github.com/tamis-mss/tamis/serve"
	"github.com/tamis-mss/tamis/store"
	"github.com/tamis-mss/tamis/store/dir"
	storeredis "github.com/tamis-mss/tamis/store/redis"
)

var pushLayersHelp = help{
	name:  "push-layers",
	usage: "--config FILE [--prune] [--dry-run] DIR",
	about: `
Push-layers publishes operator layers (.rules files run before and after
every user's policy) from DIR to the policy store that tamis serve uses, as
its configuration file names it: a directory tree ([store] backend = "dir")
or Redis ([store] backend = "redis", docs/CLUSTER.md), where every node
applies the change within a second.

DIR has the layout of the directory store:

  operator/before/*.rules              for every mailbox, before its policy
  operator/after/*.rules               for every mailbox, after its policy
  mailboxes/<mailbox>/before/*.rules   for one mailbox
  mailboxes/<mailbox>/after/*.rules

Files whose name starts with "." are ignored; any other .rules file outside
this layout is an error. Every layer is checked first, against the trust list
of the configuration, as tamis check does: if one has errors, nothing is
written. With --prune, layers in the store that DIR does not have are
removed (users' scripts are never touched).

Exit status: 0 when the store holds DIR's layers, 1 when a layer has errors,
2 for bad usage or a store that cannot be reached.`,
	examples: `
tamis push-layers --config /etc/tamis/serve.toml --prune ./layers
tamis push-layers --config serve.toml --dry-run ./layers`,
}

// layerRef names one operator layer.
type layerRef struct {
	mailbox string // "" for every mailbox
	before  bool
	name    string // file name, ending in .rules
}

func (r layerRef) String() string {
	pos := "after"
	if r.before {
		pos = "before"
	}
	if r.mailbox == "" {
		return "operator/" + pos + "/" + r.name
	}
	return "mailboxes/" + r.mailbox + "/" + pos + "/" + r.name
}

// layerStore is what push-layers needs of a backend.
type layerStore interface {
	put(ctx context.Context, r layerRef, text []byte) error
	remove(ctx context.Context, r layerRef) error
	list(ctx context.Context) ([]layerRef, error)
}

func runPushLayers(env *cliEnv, args []string) int {
	fs := newFlags("push-layers")
	config := fs.String("config", "", "the tamis serve configuration `FILE` (TOML); required")
	prune := fs.Bool("prune", false, "remove the layers of the store that DIR does not have")
	dryRun := fs.Bool("dry-run", false, "check and say what would change, write nothing")
	rest, code, ok := parseArgs(env, fs, pushLayersHelp, args)
	if !ok {
		return code
	}
	fail := func(err error) int {
		env.p.Fprintf(env.stderr, "tamis push-layers: %s\n", err)
		return exitUsage
	}
	switch {
	case *config == "":
		env.p.Fprintln(env.stderr, `tamis push-layers: --config FILE is required; run "tamis push-layers --help"`)
		return exitUsage
	case len(rest) != 1:
		env.p.Fprintf(env.stderr, "tamis push-layers: one DIR expected, got %d; run \"tamis push-layers --help\"\n", len(rest))
		return exitUsage
	}
	cfg, err := serve.LoadConfig(*config)
	if err != nil {
		return fail(err)
	}
	trust, err := loadServeTrust(cfg.Trust)
	if err != nil {
		return fail(err)
	}
	files, err := readLayerTree(rest[0], true)
	if err != nil {
		return fail(err)
	}
	if len(files) == 0 {
		env.p.Fprintf(env.stderr, "tamis push-layers: %s holds no layer (.rules files under operator/ or mailboxes/)\n", rest[0])
		return exitUsage
	}
	// Check everything before writing anything.
	opts := engine.Options{Trust: trust, MaxRedirects: cfg.Engine.MaxRedirects, DefaultPeriod: cfg.Engine.DefaultPeriod,
		MinPeriod: cfg.Engine.MinPeriod, MaxPeriod: cfg.Engine.MaxPeriod}
	bad := 0
	texts := map[layerRef][]byte{}
	for r, path := range files {
		c, err := checkPolicy(path, opts)
		if err != nil {
			return fail(err)
		}
		if len(c.diagnostics) > 0 {
			fmt.Fprint(env.stderr, env.p.RenderAll(c.diagnostics, map[string][]byte{c.path: c.src}))
		}
		if c.diagnostics.HasErrors() {
			bad++
		}
		texts[r] = c.src
	}
	if bad > 0 {
		env.p.Fprintf(env.stderr, "tamis push-layers: %d of %d layers have errors: nothing written\n", bad, len(files))
		return exitFound
	}

	st, closer, err := serve.OpenStore(cfg.Store)
	if err != nil {
		return fail(err)
	}
	if closer != nil {
		defer closer.Close()
	}
	ls, err := asLayerStore(st)
	if err != nil {
		return fail(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	have, err := ls.list(ctx)
	if err != nil {
		return fail(err)
	}
	refs := sortedRefs(texts)
	for _, r := range refs {
		if *dryRun {
			env.p.Fprintf(env.stdout, "would put %s\n", r)
			continue
		}
		if err := ls.put(ctx, r, texts[r]); err != nil {
			return fail(err)
		}
		env.p.Fprintf(env.stdout, "put %s\n", r)
	}
	removed := 0
	if *prune {
		for _, r := range have {
			if _, keep := texts[r]; keep {
				continue
			}
			removed++
			if *dryRun {
				env.p.Fprintf(env.stdout, "would remove %s\n", r)
				continue
			}
			if err := ls.remove(ctx, r); err != nil {
				return fail(err)
			}
			env.p.Fprintf(env.stdout, "remove %s\n", r)
		}
	}
	if *dryRun {
		env.p.Fprintf(env.stdout, "dry run: %d layers would be put, %d removed (%s store)\n", len(refs), removed, cfg.Store.Backend)
	} else {
		env.p.Fprintf(env.stdout, "%d layers put, %d removed (%s store)\n", len(refs), removed, cfg.Store.Backend)
	}
	return exitOK
}

func sortedRefs[V any](m map[layerRef]V) []layerRef {
	out := make([]layerRef, 0, len(m))
	for r := range m {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b layerRef) int { return strings.Compare(a.String(), b.String()) })
	return out
}

// loadServeTrust reads the trust list of a serve configuration, as tamis
// serve does; no list is the built-in fallback.
func loadServeTrust(c serve.TrustConfig) (*mssante.TrustSpace, error) {
	if c.List == "" {
		return mssante.NewTrustSpace(nil), nil
	}
	sum := c.Checksum
	if c.ChecksumFile != "" {
		data, err := os.ReadFile(c.ChecksumFile)
		if err != nil {
			return nil, fmt.Errorf("[trust] read checksum: %w", err)
		}
		if f := strings.Fields(string(data)); len(f) > 0 {
			sum = f[0]
		}
	}
	l, err := mssante.LoadList(c.List, sum)
	if err != nil {
		return nil, fmt.Errorf("[trust] load %s: %s", c.List, describeError(err))
	}
	return mssante.NewTrustSpace(l), nil
}

// readLayerTree finds the layer files of root. When strict, a .rules file
// outside the layout is an error; else it is skipped (a directory store
// also holds users' scripts).
func readLayerTree(root string, strict bool) (map[layerRef]string, error) {
	files := map[layerRef]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(d.Name(), ".rules") {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		r, ok := parseLayerPath(strings.Split(filepath.ToSlash(rel), "/"))
		if !ok && !strict {
			return nil
		}
		if !ok {
			return fmt.Errorf("%s: not in the layout (operator/before|after/NAME.rules or mailboxes/MAILBOX/before|after/NAME.rules)", path)
		}
		if _, err := store.ParseScriptName(r.name); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		files[r] = path
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read layers: %s", describeError(err))
	}
	return files, nil
}

func parseLayerPath(parts []string) (layerRef, bool) {
	pos := func(s string) (bool, bool) { return s == "before", s == "before" || s == "after" }
	switch {
	case len(parts) == 3 && parts[0] == "operator":
		before, ok := pos(parts[1])
		return layerRef{before: before, name: parts[2]}, ok
	case len(parts) == 4 && parts[0] == "mailboxes" && parts[1] != "":
		before, ok := pos(parts[2])
		return layerRef{mailbox: strings.ToLower(parts[1]), before: before, name: parts[3]}, ok
	}
	return layerRef{}, false
}

// asLayerStore adapts the backends, which write operator layers each in
// its own way (store.Store leaves them to administrators).
func asLayerStore(st store.Store) (layerStore, error) {
	switch s := st.(type) {
	case *dir.Store:
		return dirLayers{s}, nil
	case *storeredis.Store:
		return redisLayers{s}, nil
	}
	return nil, errors.New("this store backend cannot take operator layers")
}

type dirLayers struct{ s *dir.Store }

func dirPos(before bool) dir.Position {
	if before {
		return dir.Before
	}
	return dir.After
}

func (d dirLayers) put(ctx context.Context, r layerRef, text []byte) error {
	return d.s.PutLayer(ctx, r.mailbox, dirPos(r.before), r.name, text)
}

func (d dirLayers) remove(ctx context.Context, r layerRef) error {
	return d.s.DeleteLayer(ctx, r.mailbox, dirPos(r.before), r.name)
}

// list reads the directory store's documented layout.
func (d dirLayers) list(context.Context) ([]layerRef, error) {
	files, err := readLayerTree(d.s.Root(), false)
	if err != nil {
		return nil, err
	}
	return sortedRefs(files), nil
}

type redisLayers struct{ s *storeredis.Store }

func redisPos(before bool) storeredis.Position {
	if before {
		return storeredis.Before
	}
	return storeredis.After
}

func (r redisLayers) put(ctx context.Context, l layerRef, text []byte) error {
	return r.s.PutLayer(ctx, l.mailbox, redisPos(l.before), l.name, text)
}

func (r redisLayers) remove(ctx context.Context, l layerRef) error {
	return r.s.DeleteLayer(ctx, l.mailbox, redisPos(l.before), l.name)
}

func (r redisLayers) list(ctx context.Context) ([]layerRef, error) {
	mailboxes, err := r.s.Mailboxes(ctx)
	if err != nil {
		return nil, err
	}
	var out []layerRef
	for _, mb := range append([]string{""}, mailboxes...) {
		for _, before := range []bool{true, false} {
			ls, err := r.s.Layers(ctx, mb, redisPos(before))
			if err != nil {
				return nil, err
			}
			for _, l := range ls {
				out = append(out, layerRef{mailbox: mb, before: before, name: filepath.Base(l.Name)})
			}
		}
	}
	return out, nil
}
