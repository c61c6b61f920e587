package dir

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// scriptsState is what a writer reads of the current scripts directory.
type scriptsState struct {
	files  map[string]bool // file names, the active marker excluded
	active string          // the active script's name, or ""
}

func (st *scriptsState) has(name string) bool { return st.files[name+sieveExt] }

// plan describes the next scripts directory relative to the current one:
// files are carried over by hard link unless dropped or replaced.
type plan struct {
	write  map[string][]byte // new files
	link   map[string]string // new file name → current file name
	drop   map[string]bool   // current files not carried over
	active *string           // the new active name; nil keeps the current one
}

// read runs fn on the mailbox's scripts directory under a shared lock. fn is
// not called when the mailbox has no scripts directory.
func (s *Store) read(ctx context.Context, key string, fn func(dir string) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	mb := s.mailboxDir(key)
	if _, err := os.Stat(filepath.Join(mb, scriptsDir)); errors.Is(err, fs.ErrNotExist) {
		if _, err := os.Stat(filepath.Join(mb, ".scripts-prev")); errors.Is(err, fs.ErrNotExist) {
			return nil // no scripts, and no interrupted fallback swap to repair
		}
	}
	lf, err := lock(ctx, filepath.Join(mb, lockFile), unix.LOCK_SH)
	if err != nil {
		return err
	}
	defer unlock(lf)
	dir := filepath.Join(mb, scriptsDir)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return fn(dir)
}

// update changes the mailbox's scripts as decide plans it, atomically: under
// the mailbox's exclusive lock it builds the next scripts directory beside
// the current one and exchanges the two.
func (s *Store) update(ctx context.Context, mailbox, what string, decide func(*scriptsState) (*plan, error)) error {
	key, err := mailboxKey(mailbox)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	what += " of " + key
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	mb := s.mailboxDir(key)
	if err := mkdirDurable(mb); err != nil {
		return unavailable(what, err)
	}
	lf, err := lock(ctx, filepath.Join(mb, lockFile), unix.LOCK_EX)
	if err != nil {
		return unavailable(what, err)
	}
	defer unlock(lf)
	if err := repair(mb); err != nil {
		return unavailable(what, err)
	}
	cur := filepath.Join(mb, scriptsDir)
	st, err := readState(cur)
	if err != nil {
		return unavailable(what, err)
	}
	p, err := decide(st)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if p == nil {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	next, err := os.MkdirTemp(mb, ".scripts-")
	if err != nil {
		return unavailable(what, err)
	}
	old, err := build(cur, next, st, p)
	if err == nil {
		old, err = swap(mb, next, cur)
	}
	if err != nil {
		_ = os.RemoveAll(next)
		return unavailable(what, err)
	}
	if err := syncDir(mb); err != nil {
		return unavailable(what, err)
	}
	_ = os.RemoveAll(old) // a leftover is removed by the next write
	return nil
}

// build fills next from the current directory and the plan, and syncs it.
func build(cur, next string, st *scriptsState, p *plan) (string, error) {
	for f := range st.files {
		_, replaced := p.write[f]
		_, linked := p.link[f]
		if p.drop[f] || replaced || linked {
			continue
		}
		if err := os.Link(filepath.Join(cur, f), filepath.Join(next, f)); err != nil {
			return "", err
		}
	}
	for dst, src := range p.link {
		if err := os.Link(filepath.Join(cur, src), filepath.Join(next, dst)); err != nil {
			return "", err
		}
	}
	for f, data := range p.write {
		if err := writeFileSynced(filepath.Join(next, f), data); err != nil {
			return "", err
		}
	}
	switch {
	case p.active != nil && *p.active != "":
		if err := writeFileSynced(filepath.Join(next, activeFile), []byte(*p.active)); err != nil {
			return "", err
		}
	case p.active == nil && st.active != "":
		if err := os.Link(filepath.Join(cur, activeFile), filepath.Join(next, activeFile)); err != nil {
			return "", err
		}
	}
	return "", syncDir(next)
}

// swap puts next in place of cur and returns the path of the old state, to
// be removed. It exchanges the two directories atomically where the file
// system supports it; elsewhere it moves the current one aside first, a
// step that repair completes after a crash.
func swap(mb, next, cur string) (string, error) {
	err := unix.Renameat2(unix.AT_FDCWD, next, unix.AT_FDCWD, cur, unix.RENAME_EXCHANGE)
	switch {
	case err == nil:
		return next, nil
	case errors.Is(err, unix.ENOENT):
		return next, os.Rename(next, cur) // the first write: nothing to exchange
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOSYS), errors.Is(err, unix.EOPNOTSUPP):
		prev := filepath.Join(mb, ".scripts-prev")
		if err := os.Rename(cur, prev); err != nil {
			return "", err
		}
		if err := os.Rename(next, cur); err != nil {
			return "", errors.Join(err, os.Rename(prev, cur))
		}
		return prev, nil
	}
	return "", fmt.Errorf("exchange scripts directories: %w", err)
}

// repair completes or cleans up after an interrupted write: it restores a
// scripts directory moved aside by the fallback swap and removes the
// leftover ".scripts-*" directories. The caller holds the exclusive lock.
func repair(mb string) error {
	cur := filepath.Join(mb, scriptsDir)
	prev := filepath.Join(mb, ".scripts-prev")
	if _, err := os.Stat(cur); errors.Is(err, fs.ErrNotExist) {
		if _, err := os.Stat(prev); err == nil {
			if err := os.Rename(prev, cur); err != nil {
				return err
			}
		}
	}
	entries, err := os.ReadDir(mb)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".scripts-") {
			if err := os.RemoveAll(filepath.Join(mb, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

func readState(dir string) (*scriptsState, error) {
	st := &scriptsState{files: map[string]bool{}}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.Name() != activeFile {
			st.files[e.Name()] = true
		}
	}
	st.active, err = readActive(dir)
	return st, err
}

func readActive(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, activeFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	return string(b), err
}

// lock takes an flock on path, polling so that ctx can end the wait.
func lock(ctx context.Context, path string, how int) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	for {
		err := unix.Flock(int(f.Fd()), how|unix.LOCK_NB)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, unix.EWOULDBLOCK) && !errors.Is(err, unix.EINTR) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(time.Millisecond):
		}
	}
}

func unlock(f *os.File) {
	_ = unix.Flock(int(f.Fd()), unix.LOCK_UN)
	f.Close()
}

// writeFileSynced creates path (which must not exist) with data, synced.
func writeFileSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeFileAtomic replaces dir/name with data: a synced temporary file
// renamed over it, then the directory synced.
func writeFileAtomic(dir, name string, data []byte) error {
	f, err := os.CreateTemp(dir, ".tmp-")
	if err != nil {
		return err
	}
	tmp := f.Name()
	err = f.Chmod(0o640)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, name))
	}
	if err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return syncDir(dir)
}

// mkdirDurable creates dir (and its parents) if needed and syncs the parent
// so that the new entry survives a crash.
func mkdirDurable(dir string) error {
	if fi, err := os.Stat(dir); err == nil {
		if !fi.IsDir() {
			return fmt.Errorf("%s is not a directory", dir)
		}
		return nil
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	return syncDir(filepath.Dir(dir))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
