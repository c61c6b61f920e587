// Package bench holds benchmarks that compare tamis with the reference
// implementations on the same machine, in the same run. BenchmarkLMTP
// delivers the same messages over LMTP to tamis serve and to Dovecot's
// LMTP server running Pigeonhole with the Sieve export of the same policy,
// both storing to Maildir. BenchmarkSieveFilter compares the CPU time of
// "tamis run" over a 5,000-message Maildir with that of Pigeonhole's
// sieve-filter on the same Maildir and the same policy; see README.md.
package bench
