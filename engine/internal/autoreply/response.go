package autoreply

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
)

// ResponseID returns the identity of a reply for tracking: handle when it
// is set, else a hash of the reply's subject, body and From address. So a
// reply whose text changes is a new response and is sent again even within
// the period (RFC 5230 §4.2, as Pigeonhole does when :handle is absent).
//
// Pass the policy's subject ("" when the reply uses "Auto: " and the
// original subject, so that the identity does not change with each incoming
// message) and the policy's From ("" for the mailbox). The hash form is
// "sha256:" and 32 hexadecimal digits.
func ResponseID(subject, body, from, handle string) string {
	if handle != "" {
		return handle
	}
	h := sha256.New()
	var n [8]byte
	for _, s := range [...]string{"tamis vacation response v1", subject, body, from} {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)[:16])
}
