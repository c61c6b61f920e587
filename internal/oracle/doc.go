// Package oracle runs the reference Sieve implementation, Dovecot
// Pigeonhole, on a script and a message and reports what it did, so that
// tests can compare tamis with it.
//
// # Running Pigeonhole
//
// Run starts Pigeonhole's sieve-test (Debian package dovecot-sieve) itself,
// with os/exec, in a throw-away directory holding the scripts, the message,
// a maildir and a Dovecot configuration of three lines (the maildir and the
// environment to keep), so that nothing of /etc/dovecot plays a part:
//
//   - The clock is pinned to Request.Now by preloading libfaketime (Debian
//     package faketime) with an absolute, frozen FAKETIME: currentdate and
//     the dates of absence replies see that instant, whatever the time of
//     the run. sieve-test leaves libfaketime's shared memory behind; Run
//     removes that of its own process.
//   - Pigeonhole refuses to run as root: as root, Run starts sieve-test as
//     the user nobody and hands the directory over to it.
//   - At most two sieve-test processes per core run at once in a process.
//
// Availability is decided by RequireAvailable, through internal/testenv: a
// test is skipped with the install command (Install) when sieve-test or
// libfaketime is missing, and fails instead when the environment variable
// CI is set.
//
// # What a run reports
//
// Run parses sieve-test's report into an Outcome:
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
// check). With -execute it runs them into the throw-away maildir but prints
// no report. Run therefore runs sieve-test twice when Request.Execute is
// set: once for the report and, when the report holds a vacation action,
// once with -execute for the decision, which it reads from stderr
// ("vacation action: sent vacation response to <…>" or "… discarding
// vacation response …"). Before that second run it creates in the maildir
// the folders the report's fileinto actions name, so that the stores before
// the vacation action succeed. Pigeonhole's duplicate tracking is a no-op in
// sieve-test: every run is independent, and a reply is never refused as
// already sent.
//
// # Scripts in sequence (sieve_before, sieve_after)
//
// Request.Before holds scripts run before Request.Script, as Pigeonhole runs
// the scripts of sieve_before, the user's script and those of sieve_after
// (sieve-test -s for each, in order). What Pigeonhole 0.5.19 does, checked
// by TestRunSequence and the "sequence" captures:
//
//   - The main script is compiled first, each other one just before it
//     runs; a compile error in any of them ends sieve-test with exit 89 and
//     nothing is performed (the report may show the parts of the scripts
//     before it).
//   - The scripts run one after the other against one result: each adds its
//     actions to those of the scripts before it, and duplicates merge across
//     scripts as within one (a redirect to an address an earlier script
//     already redirected to adds nothing, and does not cancel the implicit
//     keep if the earlier one kept it).
//   - After each script, Pigeonhole looks at the keep. If the implicit keep
//     was cancelled (discard, fileinto — even into "INBOX" —, redirect
//     without :copy, reject) and no explicit keep stores the message, the
//     sequence ends there: the scripts after it, the main one included, do
//     not run. An explicit keep lets the next script run. "stop" ends only
//     the script that executes it: the next one runs.
//   - IMAP flags set by a script (imap4flags) apply to the stores of the
//     scripts after it and to the final implicit keep.
//   - A second vacation action in a later script is ignored, without error
//     (within one script it is a runtime error).
//   - A runtime error in any script is exit 1: nothing of the result is
//     performed but the implicit keep, and no report is printed.
//
// The report then has one part per script that ran, each after
// "## Executing script: NAME" (before-1.sieve, before-2.sieve…, then
// script.sieve), and prints a store into INBOX as "keep". ParseReport reads
// both forms; Outcome.Scripts holds each script's part.
package oracle
