// Package redis is the cluster backend of reply state: a vacation.Tracker
// whose records live in Redis, so that several delivery nodes sharing one
// Redis send a sender at most one absence reply per period, whichever node
// delivers.
//
// # Claims
//
// A claim is one Lua script run by Redis (EVALSHA), so that reading the last
// reply and recording the new one is a single atomic step on the server: two
// nodes claiming the same key at the same moment get one grant and one
// refusal, never two grants (a check-then-insert from the client would race).
// The record is the time of the last reply, in Unix milliseconds of the
// caller's clock, with an expiry of the period (PEXPIRE on Redis's clock), so
// Redis forgets a record when it can no longer refuse anything and the state
// stays bounded without a per-mailbox cap. A record from the future (the
// caller's clock went back, or another node's clock is ahead) keeps refusing
// until its time plus the period, or until it expires: a missed reply is
// better than a doubled one. When a policy's period grows (a vacation
// of 1 day becomes one of 7), records written with the shorter period
// expire with it: at most one reply sooner than the in-memory tracker
// would send it.
//
// # Keys
//
// A record's key is
//
//	<prefix>reply:{<mailbox>}:<32 hex digits>
//
// where <mailbox> is the normalised mailbox address (lower case, no angle
// brackets) and the hex digits are the first 16 bytes of the SHA-256 of the
// normalised sender and the response identity. The mailbox in braces is a
// Redis Cluster hash tag (all records of one mailbox live on one shard) and
// lets an operator list or remove a mailbox's records with
// SCAN MATCH "<prefix>reply:{<mailbox>}:*".
//
// # Failures
//
// When Redis cannot answer (connection refused, timeout, failover in
// progress) Claim returns an error wrapping ErrUnavailable. The engine then
// sends no reply and reports the error; tamis serve answers the delivery with
// a temporary failure (4xx) so that the MTA keeps the message and retries it
// later, when the claim can be decided (see docs/CLUSTER.md). Redis
// replication is asynchronous: a claim granted by a primary that fails before
// replicating it may be granted once more by the promoted replica (at most
// one extra reply per failover).
package redis
