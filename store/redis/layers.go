package redis

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	goredis "github.com/redis/go-redis/v9"

	"github.com/tamis-mss/tamis/store"
)

// Position says whether an operator layer runs before or after the user's
// policy.
type Position string

// Positions of operator layers.
const (
	Before Position = "before"
	After  Position = "after"
)

// rulesExt ends every layer name.
const rulesExt = ".rules"

// ErrNoLayer is returned by DeleteLayer for a layer that does not exist.
var ErrNoLayer = errors.New("no such layer")

// ARGV: field, text, mailbox, channel.
var putLayerScript = goredis.NewScript(announce + `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if ARGV[3] ~= '' then redis.call('SADD', KEYS[2], ARGV[3]) end
announce(ARGV[3], ARGV[4])
return 0
`)

// ARGV: field, mailbox, channel.
var deleteLayerScript = goredis.NewScript(announce + `
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 5 end
forget_if_empty(ARGV[2])
announce(ARGV[2], ARGV[3])
return 0
`)

// PutLayer writes an operator layer: for every mailbox when mailbox is "",
// else for that mailbox only. name is a file name ending in ".rules";
// layers run in name order.
func (s *Store) PutLayer(ctx context.Context, mailbox string, pos Position, name string, text []byte) error {
	hash, key, field, err := s.layer(mailbox, pos, name)
	if err != nil {
		return err
	}
	return s.write(ctx, "put layer "+name, putLayerScript, hash, key, field, text)
}

// DeleteLayer removes an operator layer written by PutLayer; ErrNoLayer if
// there is none.
func (s *Store) DeleteLayer(ctx context.Context, mailbox string, pos Position, name string) error {
	hash, key, field, err := s.layer(mailbox, pos, name)
	if err != nil {
		return err
	}
	return s.write(ctx, "delete layer "+name, deleteLayerScript, hash, key, field)
}

// Layers returns the operator layers at pos: of every mailbox when mailbox
// is "", else of that mailbox only, in the order they run.
func (s *Store) Layers(ctx context.Context, mailbox string, pos Position) ([]store.Layer, error) {
	hash, key, _, err := s.layer(mailbox, pos, "x"+rulesExt)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	h, err := s.client.HGetAll(ctx, hash).Result()
	if err != nil {
		return nil, unavailable(ctx, "list layers", err)
	}
	return layers(h, key, pos), nil
}

// layer checks a layer's address and returns its hash, mailbox key and
// field.
func (s *Store) layer(mailbox string, pos Position, name string) (hash, key, field string, err error) {
	if pos != Before && pos != After {
		return "", "", "", fmt.Errorf("layer position %q: want %q or %q", pos, Before, After)
	}
	if _, err := store.ParseScriptName(name); err != nil || !strings.HasSuffix(name, rulesExt) {
		return "", "", "", fmt.Errorf("invalid layer name %q: want a file name ending in %s", name, rulesExt)
	}
	field = string(pos) + ":" + name
	if mailbox == "" {
		return s.keys.operator, "", field, nil
	}
	key, err = mailboxKey(mailbox)
	if err != nil {
		return "", "", "", err
	}
	return s.keys.mailbox(key), key, field, nil
}

// layers extracts the layers at pos from a hash, sorted by name. Their
// names are those store/dir gives the same layers, so that diagnostics read
// the same whichever backend is used.
func layers(h map[string]string, mailbox string, pos Position) []store.Layer {
	dir := "operator/" + string(pos)
	if mailbox != "" {
		dir = "mailboxes/" + mailbox + "/" + string(pos)
	}
	var out []store.Layer
	for f, v := range h {
		if name, ok := strings.CutPrefix(f, string(pos)+":"); ok {
			out = append(out, store.Layer{Name: path.Join(dir, name), Text: []byte(v)})
		}
	}
	slices.SortFunc(out, func(a, b store.Layer) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Sources returns the layers of mailbox and its active script's policy,
// read in one transaction.
func (s *Store) Sources(ctx context.Context, mailbox string) (store.Sources, error) {
	key, err := mailboxKey(mailbox)
	if err != nil {
		return store.Sources{}, err
	}
	what := "read policy sources of " + key
	if err := ctx.Err(); err != nil {
		return store.Sources{}, fmt.Errorf("%s: %w", what, err)
	}
	var op, own *goredis.MapStringStringCmd
	_, err = s.client.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		op = p.HGetAll(ctx, s.keys.operator)
		own = p.HGetAll(ctx, s.keys.mailbox(key))
		return nil
	})
	if err != nil {
		return store.Sources{}, unavailable(ctx, what, err)
	}
	global, mine := op.Val(), own.Val()
	src := store.Sources{
		Mailbox: key,
		Before:  append(layers(global, "", Before), layers(mine, key, Before)...),
		After:   append(layers(mine, key, After), layers(global, "", After)...),
	}
	if active, ok := mine[activeField]; ok {
		if text, ok := mine[rulesField+active]; ok {
			src.User = &store.Layer{Name: "mailboxes/" + key + "/scripts/" + active + rulesExt, Text: []byte(text)}
		}
	}
	src.Version = version(src)
	return src, nil
}

// version hashes everything a reader compiles, as store/dir does.
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
