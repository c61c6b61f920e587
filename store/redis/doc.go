// Package redis is the cluster backend of the policy store: users' scripts,
// the active one per mailbox and operator layers kept in Redis, so that
// every tamis node of a cluster reads the same policies and hears of a
// change within a second.
//
// # Keys
//
// Every key carries the hash tag {policies}, so that on Redis Cluster they
// all live on one shard and the store's multi-key scripts stay atomic
// (policies are small: one shard holds them easily).
//
//	<prefix>{policies}:operator          hash: operator layers of every mailbox
//	<prefix>{policies}:mailbox:<mailbox> hash: one mailbox's scripts, active one, own layers
//	<prefix>{policies}:mailboxes         set: the mailboxes that have a hash
//	<prefix>{policies}:generation        counter, incremented by every change
//	<prefix>{policies}:changes           pub/sub channel announcing changes
//
// In a mailbox hash, script <name> is the fields "sieve:<name>",
// "rules:<name>" and "author:<name>"; "active" holds the active script's
// name; layers are "before:<file>.rules" and "after:<file>.rules", as in the
// operator hash. <mailbox> is the address in lower case.
//
// # Atomicity and durability
//
// Every write is one Lua script: it checks (the script exists, the target
// name is free, the script is not active), changes the hash, increments the
// generation and publishes "<generation> <mailbox>" (an empty mailbox for
// operator layers) in one atomic step. Reads are one command (HGETALL,
// HMGET) or one MULTI/EXEC transaction, so a reader sees a state before or
// after a write, never half of it. A write is as durable as Redis makes it:
// with appendonly yes and appendfsync always it is on disk when the call
// returns; with everysec (Redis's default for the append-only file) up to a
// second of writes can be lost in a crash (docs/CLUSTER.md).
//
// # Watching
//
// Watch subscribes to the changes channel and reports each change. Pub/sub
// delivers at most once: a node that was disconnected misses messages. So
// the watcher checks that generations follow one another, and compares its
// last generation with the counter every ResyncInterval; a gap, a
// reconnection or a counter that moved without a message is reported as a
// Change with an empty Mailbox (everything may have changed), and the
// reader recompiles what it holds.
package redis
