package redis

import (
	"context"
	"fmt"
	"slices"
	"strings"

	goredis "github.com/redis/go-redis/v9"

	"github.com/tamis-mss/tamis/store"
)

// Answers of the write scripts.
const (
	writeDone     = 0
	writeNoScript = 1
	writeExists   = 2
	writeActive   = 3
	writeNoChange = 4
	writeNoLayer  = 5
)

// Every write script takes KEYS = {hash, mailboxes set, generation} and,
// last in ARGV, the mailbox ("" for the operator hash) and the channel. The
// common tail bumps the generation and announces the change.
const announce = `
local function announce(mailbox, channel)
  local g = redis.call('INCR', KEYS[3])
  redis.call('PUBLISH', channel, g .. ' ' .. mailbox)
end
local function forget_if_empty(mailbox)
  if mailbox ~= '' and redis.call('EXISTS', KEYS[1]) == 0 then
    redis.call('SREM', KEYS[2], mailbox)
  end
end
`

// ARGV: name, sieve, rules, author, mailbox, channel.
var putScript = goredis.NewScript(announce + `
redis.call('HSET', KEYS[1], 'sieve:' .. ARGV[1], ARGV[2], 'rules:' .. ARGV[1], ARGV[3], 'author:' .. ARGV[1], ARGV[4])
redis.call('SADD', KEYS[2], ARGV[5])
announce(ARGV[5], ARGV[6])
return 0
`)

// ARGV: name, mailbox, channel.
var deleteScript = goredis.NewScript(announce + `
if redis.call('HEXISTS', KEYS[1], 'sieve:' .. ARGV[1]) == 0 then return 1 end
if redis.call('HGET', KEYS[1], 'active') == ARGV[1] then return 3 end
redis.call('HDEL', KEYS[1], 'sieve:' .. ARGV[1], 'rules:' .. ARGV[1], 'author:' .. ARGV[1])
forget_if_empty(ARGV[2])
announce(ARGV[2], ARGV[3])
return 0
`)

// ARGV: from, to, mailbox, channel.
var renameScript = goredis.NewScript(announce + `
if redis.call('HEXISTS', KEYS[1], 'sieve:' .. ARGV[1]) == 0 then return 1 end
if redis.call('HEXISTS', KEYS[1], 'sieve:' .. ARGV[2]) == 1 then return 2 end
for _, f in ipairs({'sieve:', 'rules:', 'author:'}) do
  local v = redis.call('HGET', KEYS[1], f .. ARGV[1])
  if v then redis.call('HSET', KEYS[1], f .. ARGV[2], v) end
  redis.call('HDEL', KEYS[1], f .. ARGV[1])
end
if redis.call('HGET', KEYS[1], 'active') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'active', ARGV[2])
end
announce(ARGV[3], ARGV[4])
return 0
`)

// ARGV: name ("" deactivates), mailbox, channel.
var activateScript = goredis.NewScript(announce + `
local cur = redis.call('HGET', KEYS[1], 'active')
if ARGV[1] == '' then
  if not cur then return 4 end
  redis.call('HDEL', KEYS[1], 'active')
else
  if redis.call('HEXISTS', KEYS[1], 'sieve:' .. ARGV[1]) == 0 then return 1 end
  if cur == ARGV[1] then return 4 end
  redis.call('HSET', KEYS[1], 'active', ARGV[1])
end
announce(ARGV[2], ARGV[3])
return 0
`)

// write runs a write script for mailbox key and maps its answer.
func (s *Store) write(ctx context.Context, what string, script *goredis.Script, hash, mailbox string, args ...any) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	args = append(args, mailbox, s.keys.channel)
	code, err := script.Run(ctx, s.client, []string{hash, s.keys.mailboxes, s.keys.generation}, args...).Int()
	if err != nil {
		return unavailable(ctx, what, err)
	}
	switch code {
	case writeDone, writeNoChange:
		return nil
	case writeNoScript:
		return fmt.Errorf("%s: %w", what, store.ErrNoScript)
	case writeExists:
		return fmt.Errorf("%s: %w", what, store.ErrExists)
	case writeActive:
		return fmt.Errorf("%s: %w", what, store.ErrActive)
	case writeNoLayer:
		return fmt.Errorf("%s: %w", what, ErrNoLayer)
	}
	return fmt.Errorf("%s: %w: unexpected answer %d from Redis", what, store.ErrUnavailable, code)
}

// Scripts lists the user's scripts of mailbox, sorted by name.
func (s *Store) Scripts(ctx context.Context, mailbox string) ([]store.ScriptInfo, error) {
	key, err := mailboxKey(mailbox)
	if err != nil {
		return nil, err
	}
	what := "list scripts of " + key
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	h, err := s.client.HGetAll(ctx, s.keys.mailbox(key)).Result()
	if err != nil {
		return nil, unavailable(ctx, what, err)
	}
	var infos []store.ScriptInfo
	for f, v := range h {
		n, ok := strings.CutPrefix(f, sieveField)
		if !ok {
			continue
		}
		name, err := store.ParseScriptName(n)
		if err != nil {
			continue // not written by the store
		}
		infos = append(infos, store.ScriptInfo{Name: name, Size: int64(len(v)), Active: h[activeField] == n})
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
	what := fmt.Sprintf("get script %s of %s", quote(name), key)
	if name.IsZero() {
		return store.Script{}, fmt.Errorf("%s: %w", what, store.ErrNoScript)
	}
	if err := ctx.Err(); err != nil {
		return store.Script{}, fmt.Errorf("%s: %w", what, err)
	}
	n := name.String()
	vals, err := s.client.HMGet(ctx, s.keys.mailbox(key), sieveField+n, rulesField+n, authorField+n).Result()
	if err != nil {
		return store.Script{}, unavailable(ctx, what, err)
	}
	if vals[0] == nil {
		return store.Script{}, fmt.Errorf("%s: %w", what, store.ErrNoScript)
	}
	str := func(v any) string { s, _ := v.(string); return s }
	return store.Script{Name: name, Sieve: []byte(str(vals[0])), Policy: []byte(str(vals[1])), Author: str(vals[2])}, nil
}

// PutScript creates or replaces a script; the last write wins.
func (s *Store) PutScript(ctx context.Context, mailbox string, sc store.Script) error {
	key, err := mailboxKey(mailbox)
	if err != nil {
		return err
	}
	if sc.Name.IsZero() {
		return fmt.Errorf("put script: %w", store.ErrScriptName)
	}
	return s.write(ctx, fmt.Sprintf("put script %s of %s", quote(sc.Name), key), putScript, s.keys.mailbox(key), key,
		sc.Name.String(), sc.Sieve, sc.Policy, sc.Author)
}

// DeleteScript removes a script that is not active.
func (s *Store) DeleteScript(ctx context.Context, mailbox string, name store.ScriptName) error {
	key, err := mailboxKey(mailbox)
	if err != nil {
		return err
	}
	what := fmt.Sprintf("delete script %s of %s", quote(name), key)
	if name.IsZero() {
		return fmt.Errorf("%s: %w", what, store.ErrNoScript)
	}
	return s.write(ctx, what, deleteScript, s.keys.mailbox(key), key, name.String())
}

// RenameScript renames a script, keeping it active if it was.
func (s *Store) RenameScript(ctx context.Context, mailbox string, from, to store.ScriptName) error {
	key, err := mailboxKey(mailbox)
	if err != nil {
		return err
	}
	what := fmt.Sprintf("rename script %s to %s of %s", quote(from), quote(to), key)
	switch {
	case from.IsZero():
		return fmt.Errorf("%s: %w", what, store.ErrNoScript)
	case to.IsZero():
		return fmt.Errorf("%s: %w", what, store.ErrScriptName)
	}
	return s.write(ctx, what, renameScript, s.keys.mailbox(key), key, from.String(), to.String())
}

// SetActive makes name the active script; the zero name deactivates all.
func (s *Store) SetActive(ctx context.Context, mailbox string, name store.ScriptName) error {
	key, err := mailboxKey(mailbox)
	if err != nil {
		return err
	}
	return s.write(ctx, fmt.Sprintf("activate script %s of %s", quote(name), key), activateScript, s.keys.mailbox(key), key, name.String())
}

// Mailboxes lists the mailboxes that have scripts or layers of their own,
// sorted.
func (s *Store) Mailboxes(ctx context.Context) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	mbs, err := s.client.SMembers(ctx, s.keys.mailboxes).Result()
	if err != nil {
		return nil, unavailable(ctx, "list mailboxes", err)
	}
	slices.Sort(mbs)
	return mbs, nil
}
