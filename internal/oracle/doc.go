// Package oracle runs the reference Sieve implementation, Dovecot Pigeonhole,
// on a script and a message and reports what it did, so that tests can
// compare tamis with it.
//
// The work is done by the shell script ../shared/oracle/sieve-oracle (found
// relative to the repository root, the directory holding go.mod, or named by
// the environment variable TAMIS_SIEVE_ORACLE). The script runs Pigeonhole's
// sieve-test with a clock pinned by libfaketime and prints its report; this
// package builds the command line, runs it and parses the report into an
// Outcome:
//
//   - Actions lists the performed actions in Pigeonhole's order, after its
//     own merging of duplicates: "store message in folder: X" becomes a
//     fileinto action (a keep when X is INBOX, since Pigeonhole does not tell
//     keep from fileinto "INBOX"), and discard, reject, redirect (with Copy
//     for ":copy", "preserve implicit keep") and vacation keep their names.
//   - ImplicitKeep tells whether the implicit keep holds, from the report's
//     "Implicit keep:" section, or from "resolved with successful implicit
//     keep" when the script failed at run time.
//   - ExitCode is sieve-test's: 0 success, 1 runtime failure (the implicit keep
//     applies), 89 compile error.
//   - Vacation carries the reply Pigeonhole would send (period, subject, from,
//     handle, body) and, when Request.Execute is set, whether it really sent it
//     or suppressed it, and why; a sent reply is read back from the printed
//     message (SentReply: the default subject, From, In-Reply-To, text).
//
// Without -execute Pigeonhole only plans the actions and applies none of the
// absence-reply suppression rules (Auto-Submitted, lists, own address, To/Cc
// check). With -execute it runs them into a throw-away maildir but prints no
// report. Run therefore runs the oracle twice when Request.Execute is set:
// once for the report and, when the report holds a vacation action, once with
// -execute for the decision, which it reads from stderr ("vacation action:
// sent vacation response to <…>" or "… discarding vacation response …").
//
// Available tells whether the oracle can run here. Tests should skip when it
// cannot, unless the environment variable CI is set, where a missing oracle is
// a failure: see RequireAvailable.
package oracle
