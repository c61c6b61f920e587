package vacation

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// FileTracker is a Tracker that keeps its records in a file, for the CLI
// (tamis run --state FILE): records survive the process, and several
// processes may share one file.
//
// Every Claim takes an exclusive lock (flock on FILE.lock, next to the
// file), reads the file, decides, and when the reply is granted writes the
// new state to a temporary file in the same directory that it renames over
// the old one: a crash leaves either the old or the new state, never a
// mix. Like MemoryTracker it keeps at most DefaultMaxPerMailbox records per
// mailbox, dropping the oldest reply first.
//
// The file is JSON, one record per line:
//
//	{"format":"tamis-vacation-state","version":1,"entries":[
//	{"mailbox":"…","sender":"…","response":"…","sent":"2025-12-22T09:00:00Z"}
//	]}
//
// Records are kept in the order they were granted, oldest first. An empty
// file is an empty state. A file that cannot be read as such is a
// *StateError, with its line and column; Claim then fails, so no reply is
// sent until the file is repaired or removed.
type FileTracker struct {
	path string
	max  int

	mu     sync.Mutex // serialises this process's claims: flock is per open file
	lock   *os.File
	closed bool
}

// fileFormat names the state file format.
const fileFormat = "tamis-vacation-state"

type fileState struct {
	Format  string      `json:"format"`
	Version int         `json:"version"`
	Entries []fileEntry `json:"entries"`
}

type fileEntry struct {
	Mailbox  string    `json:"mailbox"`
	Sender   string    `json:"sender"`
	Response string    `json:"response"`
	Sent     time.Time `json:"sent"`
}

// lockPoll is how often Claim retries a lock held by another process.
const lockPoll = 5 * time.Millisecond

// OpenFileTracker opens the state file at path, creating nothing until the
// first granted claim but the lock file path+".lock". It fails if the file
// exists and cannot be read, or if the lock file cannot be created.
func OpenFileTracker(path string) (*FileTracker, error) {
	lock, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open vacation state %s: %w", path, err)
	}
	t := &FileTracker{path: path, max: DefaultMaxPerMailbox, lock: lock}
	if err := t.withLock(context.Background(), func() error {
		_, err := t.load()
		return err
	}); err != nil {
		lock.Close()
		return nil, err
	}
	return t, nil
}

// Path returns the path of the state file.
func (t *FileTracker) Path() string { return t.path }

// Close releases the lock file. Claims after Close fail.
func (t *FileTracker) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil
	}
	t.closed = true
	return t.lock.Close()
}

// Claim implements Tracker.
func (t *FileTracker) Claim(ctx context.Context, key Key, now time.Time, period time.Duration) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	key = key.Normalize()
	if !key.valid() {
		return false, ErrInvalidKey
	}
	granted := false
	err := t.withLock(ctx, func() error {
		st, err := t.load()
		if err != nil {
			return err
		}
		i := slices.IndexFunc(st.Entries, func(e fileEntry) bool {
			return e.Mailbox == key.Mailbox && e.Sender == key.Sender && e.Response == key.Response
		})
		if i >= 0 {
			ok, keep := allowed(st.Entries[i].Sent, now, period)
			if !ok {
				if keep.Equal(st.Entries[i].Sent) {
					return nil
				}
				st.Entries[i].Sent = keep.UTC() // a record from the future, clamped
				return t.store(st)
			}
		}
		if i >= 0 {
			st.Entries = slices.Delete(st.Entries, i, i+1)
		}
		st.Entries = append(st.Entries, fileEntry{key.Mailbox, key.Sender, key.Response, now.UTC()})
		st.Entries = bound(st.Entries, key.Mailbox, t.max)
		if err := t.store(st); err != nil {
			return err
		}
		granted = true
		return nil
	})
	return granted, err
}

// bound drops the oldest records of mailbox beyond max. Entries are kept in
// the order they were recorded, so the oldest come first.
func bound(entries []fileEntry, mailbox string, max int) []fileEntry {
	n := 0
	for _, e := range entries {
		if e.Mailbox == mailbox {
			n++
		}
	}
	if n <= max {
		return entries
	}
	drop := n - max
	return slices.DeleteFunc(entries, func(e fileEntry) bool {
		if drop > 0 && e.Mailbox == mailbox {
			drop--
			return true
		}
		return false
	})
}

// withLock runs f holding the in-process mutex and the file lock.
func (t *FileTracker) withLock(ctx context.Context, f func() error) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return fmt.Errorf("vacation state %s: tracker closed", t.path)
	}
	for {
		ok, err := tryLock(t.lock)
		if err != nil {
			return fmt.Errorf("lock vacation state %s: %w", t.path, err)
		}
		if ok {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("lock vacation state %s: %w", t.path, ctx.Err())
		case <-time.After(lockPoll):
		}
	}
	defer unlock(t.lock)
	return f()
}

// StateError is the error for a state file that cannot be read.
type StateError struct {
	Path      string // the state file
	Line, Col int    // 1-based position of the problem; 0 when it has none
	Problem   string // what is wrong, in English
}

// Error returns "PATH:LINE:COL: corrupt vacation state: PROBLEM" (without
// the position when there is none) followed by a hint on how to recover.
func (e *StateError) Error() string {
	where := e.Path
	if e.Line > 0 {
		where = fmt.Sprintf("%s:%d:%d", e.Path, e.Line, e.Col)
	}
	return where + ": corrupt vacation state: " + e.Problem +
		" (hint: repair or remove the file; without it, replies already sent may be sent again)"
}

// load reads the state file; a missing or empty file is an empty state.
func (t *FileTracker) load() (*fileState, error) {
	data, err := os.ReadFile(t.path)
	if errors.Is(err, os.ErrNotExist) {
		return &fileState{Format: fileFormat, Version: 1}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read vacation state %s: %w", t.path, err)
	}
	st, serr := parseState(data)
	if serr != nil {
		serr.Path = t.path
		return nil, serr
	}
	return st, nil
}

// parseState reads a state file.
func parseState(data []byte) (*fileState, *StateError) {
	if len(bytes.TrimSpace(data)) == 0 {
		return &fileState{Format: fileFormat, Version: 1}, nil
	}
	at := func(offset int64, format string, args ...any) *StateError {
		line, col := position(data, offset)
		return &StateError{Line: line, Col: col, Problem: fmt.Sprintf(format, args...)}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var st fileState
	if err := dec.Decode(&st); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return nil, at(syn.Offset, "not valid JSON: %v", syn)
		case errors.As(err, &typ):
			return nil, at(typ.Offset, "%v", typ)
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, at(int64(len(data)), "truncated JSON")
		}
		return nil, &StateError{Problem: err.Error()}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, at(dec.InputOffset(), "unexpected data after the state")
	}
	if st.Format != fileFormat || st.Version != 1 {
		return nil, &StateError{Problem: fmt.Sprintf("not a %s file version 1 (format %q, version %d)", fileFormat, st.Format, st.Version)}
	}
	for i, e := range st.Entries {
		if e.Mailbox == "" || e.Sender == "" || e.Response == "" || e.Sent.IsZero() {
			return nil, &StateError{Problem: fmt.Sprintf("entry %d: empty mailbox, sender, response or sent time", i+1)}
		}
	}
	return &st, nil
}

// position returns the 1-based line and column (in bytes) of offset in
// data.
func position(data []byte, offset int64) (line, col int) {
	offset = max(0, min(offset, int64(len(data))))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// store writes st atomically: temporary file, fsync, rename.
func (t *FileTracker) store(st *fileState) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "{\"format\":%q,\"version\":1,\"entries\":[\n", fileFormat)
	for i, e := range st.Entries {
		line, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("write vacation state %s: %w", t.path, err)
		}
		b.Write(line)
		if i < len(st.Entries)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]}\n")

	dir, base := filepath.Split(t.path)
	tmp, err := os.CreateTemp(cmp.Or(dir, "."), "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("write vacation state %s: %w", t.path, err)
	}
	_, err = tmp.Write(b.Bytes())
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), t.path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write vacation state %s: %w", t.path, err)
	}
	if d, err := os.Open(cmp.Or(dir, ".")); err == nil {
		d.Sync() // best effort: makes the rename durable on Linux
		d.Close()
	}
	return nil
}
