// Package casetest runs the case corpus of tamis (the .case files of
// internal/casefile) in go test: it checks every expectation, requires the
// engine to decide the same with and without a trace (the sequential and
// the indexed evaluation), runs every delivery of a case with a sieve line
// through Dovecot Pigeonhole (internal/oracle) and compares the outcomes in
// one comparison form (see PigeonholeLines), and with Options.Update
// rewrites the blocks of the case files (the -update flag of the test
// package that calls it). docs/TESTS.md describes the format and the
// comparison.
package casetest
