// Package casefile is the golden-case format of tamis: a small, line-based
// text file that names a policy, the messages delivered to it (with the
// envelope, the clock and, where it matters, the trust list of each
// delivery) and the expected outcome of each delivery, one fact per line so
// that a change reads well in a diff. One format serves administrators
// ("tamis test"), the bundled examples, the engine's corpus with its traces,
// and the cases compared with Dovecot Pigeonhole (a sieve line and
// pigeonhole blocks, run by internal/casetest).
//
// Parse reads a case file; Run evaluates its deliveries with the engine,
// both as a host evaluates (indexed) and with a trace (sequential), and
// compares the outcomes with the expectations; Rewrite replaces the blocks
// of expectations (never the inputs) with what was computed, for
// "tamis test --update" and "go test -update". The format is documented in
// docs/TESTS.md.
package casefile
