// Package bench holds benchmarks that compare tamis with the reference
// implementations on the same machine, in the same run. BenchmarkLMTP
// delivers the same messages over LMTP to tamis serve and to Dovecot's
// LMTP server running Pigeonhole with the Sieve export of the same policy,
// both storing to Maildir; see README.md.
package bench
