package bolt

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// bucketJournal holds the delivery journal: what was already done for a
// delivery that was answered 4xx, so that its retry does not do it again.
// Its name cannot be a mailbox's (those are addresses).
var bucketJournal = []byte("\x00journal")

// journalTTL is how long a journal entry is kept: longer than Postfix's
// default queue lifetime (5 days).
const journalTTL = 7 * 24 * time.Hour

// Done returns the steps recorded for the delivery id (a bit mask, 0 when
// none).
func (t *Tracker) Done(ctx context.Context, id []byte) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var mask uint64
	err := t.db.View(func(tx *bbolt.Tx) error {
		if b := tx.Bucket(bucketJournal); b != nil {
			if v := b.Get(id); len(v) == 16 {
				mask = binary.BigEndian.Uint64(v[:8])
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("delivery journal %s: %w", t.db.Path(), err)
	}
	return mask, nil
}

// Record adds the steps of mask to the delivery id, durably, at now.
func (t *Tracker) Record(ctx context.Context, id []byte, mask uint64, now time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := t.db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketJournal)
		if err != nil {
			return err
		}
		if v := b.Get(id); len(v) == 16 {
			mask |= binary.BigEndian.Uint64(v[:8])
		}
		v := binary.BigEndian.AppendUint64(make([]byte, 0, 16), mask)
		return b.Put(id, binary.BigEndian.AppendUint64(v, uint64(now.UnixNano())))
	})
	if err != nil {
		return fmt.Errorf("delivery journal %s: %w", t.db.Path(), err)
	}
	return nil
}

// sweepJournal deletes the entries older than journalTTL at now.
func sweepJournal(tx *bbolt.Tx, now time.Time) (int, error) {
	b := tx.Bucket(bucketJournal)
	if b == nil {
		return 0, nil
	}
	var old [][]byte
	err := b.ForEach(func(k, v []byte) error {
		if len(v) != 16 || now.Sub(decodeTime(v[8:16])) > journalTTL {
			old = append(old, append([]byte(nil), k...))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, k := range old {
		if err := b.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(old), nil
}
