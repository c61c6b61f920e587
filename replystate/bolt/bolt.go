package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/tamis-mss/tamis/engine/vacation"
)

// Options bounds a Tracker.
type Options struct {
	// MaxPerMailbox bounds the replies remembered for one mailbox; the
	// oldest is forgotten first. Below vacation.DefaultMaxPerMailbox, zero
	// included, it is raised to it.
	MaxPerMailbox int
	// Timeout bounds the wait for the file lock at Open (another process
	// holding the file); 0 means 5 seconds.
	Timeout time.Duration
}

// Tracker is a vacation.Tracker in a bbolt file. It is safe for concurrent
// use; one process opens the file at a time.
type Tracker struct {
	db     *bbolt.DB
	maxBox int
}

// Bucket layout: one top-level bucket per mailbox, named by its normalised
// address. In it:
//
//	"k": sender \x00 response → sent (8 bytes) | until (8 bytes), Unix nanoseconds, big endian
//	"t": sent (8 bytes) | sender \x00 response → empty: the mailbox's replies, oldest first
//	"n": the number of entries (8 bytes)
var (
	bucketKeys  = []byte("k")
	bucketTimes = []byte("t")
	keyCount    = []byte("n")
)

// Open opens or creates the tracker file at path.
func Open(path string, opts Options) (*Tracker, error) {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: timeout})
	if err != nil {
		return nil, fmt.Errorf("open reply state %s: %w", path, err)
	}
	return &Tracker{db: db, maxBox: max(opts.MaxPerMailbox, vacation.DefaultMaxPerMailbox)}, nil
}

// Close closes the file.
func (t *Tracker) Close() error { return t.db.Close() }

// Path returns the file's path.
func (t *Tracker) Path() string { return t.db.Path() }

// MaxPerMailbox returns the bound on the entries of one mailbox.
func (t *Tracker) MaxPerMailbox() int { return t.maxBox }

// Claim implements vacation.Tracker: the read, the decision and the record
// are one bbolt read-write transaction, durable (fsync) when it returns
// true. A refused claim writes nothing.
func (t *Tracker) Claim(ctx context.Context, key vacation.Key, now time.Time, period time.Duration) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	key = key.Normalize()
	if key.Mailbox == "" || key.Sender == "" || key.Response == "" {
		return false, vacation.ErrInvalidKey
	}
	id := entryID(key)
	granted := false
	err := t.db.Update(func(tx *bbolt.Tx) error {
		box, err := tx.CreateBucketIfNotExists([]byte(key.Mailbox))
		if err != nil {
			return err
		}
		keys, err := box.CreateBucketIfNotExists(bucketKeys)
		if err != nil {
			return err
		}
		times, err := box.CreateBucketIfNotExists(bucketTimes)
		if err != nil {
			return err
		}
		n := count(box)
		if v := keys.Get(id); v != nil {
			sent := decodeTime(v[:8])
			if period > 0 && now.Before(sent.Add(period)) {
				return errRefused
			}
			if err := times.Delete(timeKey(sent, id)); err != nil {
				return err
			}
		} else {
			n++
		}
		if err := keys.Put(id, entryValue(now, period)); err != nil {
			return err
		}
		if err := times.Put(timeKey(now, id), nil); err != nil {
			return err
		}
		for n > t.maxBox {
			oldest, _ := times.Cursor().First()
			if oldest == nil {
				break
			}
			if err := keys.Delete(oldest[8:]); err != nil {
				return err
			}
			if err := times.Delete(oldest); err != nil {
				return err
			}
			n--
		}
		granted = true
		return box.Put(keyCount, binary.BigEndian.AppendUint64(nil, uint64(n)))
	})
	if errors.Is(err, errRefused) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reply state %s: %w", t.db.Path(), err)
	}
	return granted, nil
}

// errRefused rolls back the transaction of a refused claim: nothing to
// write.
var errRefused = errors.New("refused")

// Sweep deletes the replies whose period has ended at now, and the
// mailboxes left without any, and returns how many replies it deleted.
func (t *Tracker) Sweep(ctx context.Context, now time.Time) (int, error) {
	deleted := 0
	err := t.db.Update(func(tx *bbolt.Tx) error {
		var empty [][]byte
		err := tx.ForEach(func(name []byte, box *bbolt.Bucket) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			keys, times := box.Bucket(bucketKeys), box.Bucket(bucketTimes)
			if keys == nil || times == nil {
				return nil
			}
			n := count(box)
			var expired [][]byte // time keys, copied: bbolt's slices die with a write
			err := times.ForEach(func(k, _ []byte) error {
				if v := keys.Get(k[8:]); v == nil || !now.Before(decodeTime(v[8:16])) {
					expired = append(expired, bytes.Clone(k))
				}
				return nil
			})
			if err != nil {
				return err
			}
			for _, k := range expired {
				if keys.Get(k[8:]) != nil {
					if err := keys.Delete(k[8:]); err != nil {
						return err
					}
					n--
					deleted++
				}
				if err := times.Delete(k); err != nil {
					return err
				}
			}
			if n <= 0 {
				empty = append(empty, bytes.Clone(name))
				return nil
			}
			return box.Put(keyCount, binary.BigEndian.AppendUint64(nil, uint64(n)))
		})
		if err != nil {
			return err
		}
		for _, name := range empty {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("sweep reply state %s: %w", t.db.Path(), err)
	}
	return deleted, nil
}

// Len returns the number of replies remembered for mailbox.
func (t *Tracker) Len(mailbox string) int {
	n := 0
	_ = t.db.View(func(tx *bbolt.Tx) error {
		if box := tx.Bucket([]byte(vacation.NormalizeAddress(mailbox))); box != nil {
			n = count(box)
		}
		return nil
	})
	return n
}

func count(box *bbolt.Bucket) int {
	if v := box.Get(keyCount); len(v) == 8 {
		return int(binary.BigEndian.Uint64(v))
	}
	return 0
}

func entryID(k vacation.Key) []byte {
	b := make([]byte, 0, len(k.Sender)+1+len(k.Response))
	b = append(b, k.Sender...)
	b = append(b, 0)
	return append(b, k.Response...)
}

// entryValue is sent | until: a period of zero or less ends at once.
func entryValue(sent time.Time, period time.Duration) []byte {
	until := sent
	if period > 0 {
		until = sent.Add(period)
	}
	b := binary.BigEndian.AppendUint64(make([]byte, 0, 16), uint64(sent.UnixNano()))
	return binary.BigEndian.AppendUint64(b, uint64(until.UnixNano()))
}

func timeKey(sent time.Time, id []byte) []byte {
	b := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(id)), uint64(sent.UnixNano()))
	return append(b, id...)
}

func decodeTime(b []byte) time.Time {
	return time.Unix(0, int64(binary.BigEndian.Uint64(b)))
}
