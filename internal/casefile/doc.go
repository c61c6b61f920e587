// Package casefile is the golden-case format of tamis: a small, line-based
// text file that names a policy, the messages delivered to it (with the
// envelope and the clock of each delivery) and the expected outcome of each
// delivery, one fact per line so that a change reads well in a diff.
//
// Parse reads a case file, Run evaluates its deliveries with the engine and
// compares the outcomes with the expectations, and Rewrite replaces the
// expectations (never the inputs) with what the engine computed, for
// "tamis test --update". The format is documented in docs/TESTS.md.
package casefile
