// Package bolt is the embedded default reply state of tamis serve: a
// vacation.Tracker in one bbolt file (go.etcd.io/bbolt), so that a sender
// gets one absence reply per period across restarts and crashes.
//
// A claim is one read-write transaction: bbolt serialises writers and
// fsyncs the file before Update returns, so two deliveries racing for the
// same sender grant one reply, and a granted claim survives a crash. The
// state is bounded: each mailbox keeps at most Options.MaxPerMailbox
// replies (the oldest is forgotten first, which can only cause one more
// reply, never one less), and Sweep deletes the replies whose period has
// ended.
package bolt
