// Package rules is the model of a tamis mailbox policy: the mailbox and its
// other addresses, the time zone, absence (vacation) blocks and rules, their
// conditions and actions, each carrying the source range it was read from,
// and the diagnostics reported about them.
//
// A Policy is plain data. The parser package builds one from a .rules file,
// the sieve package from a Sieve script, and tests may build one by hand; the
// engine package compiles it into an executable program. Package rules
// imports nothing of tamis, so every other package can depend on it.
//
// Ranges are 1-based lines and columns (columns count characters, not bytes)
// plus a 0-based byte offset, so that diagnostics can print
// "cabinet.rules:12:5" and underline the right characters.
package rules
