// Package engine is the tamis rule engine: it compiles a rules.Policy into an
// immutable Program and evaluates that Program on incoming messages, deciding
// what to do with each one (keep, discard, reject, reroute, copy, file into,
// flag, absence reply) and why.
//
// # Compile once, evaluate many times
//
// Compile resolves everything that does not depend on the message: header
// names are canonicalised, keys are case-folded, globs and RE2 expressions
// are compiled, the policy's IANA zone is loaded (time/tzdata is embedded, so
// this works on a machine without a zone database), windows become instants,
// and every reroute and copy target is checked against the MSSanté trust
// space. A Program is safe for concurrent use by any number of goroutines.
//
// A Program is stateless: everything that changes from one delivery to the
// next comes with the call (the Delivery: message, envelope, time, and
// optionally its own reply tracker, a dry run, a trace). Reply history is
// an explicit dependency, the vacation.Tracker of Options or of the
// Delivery, which the host owns and shares across recompilations, so that
// a policy edited and compiled again does not answer a sender twice. A dry
// run (Delivery.DryRun, a preview) builds the reply but never claims a
// reply slot.
//
// Exact "from is" and "envelope from is" tests are indexed: a policy of
// 10,000 such rules costs about what a policy of 10 costs, while the order of
// evaluation and its outcome are exactly those of sequential evaluation.
//
// # Case folding
//
// Comparisons that are not case-sensitive use simple Unicode case folding,
// the equivalence of strings.EqualFold and of RE2's (?i): two characters
// are equal when they are in the same unicode.SimpleFold orbit (see
// rules.FoldRune), so "É" equals "é", "K" (Kelvin sign) equals "k" and "ſ"
// equals "s", while the Turkish "ı" and "İ" equal only themselves. Full
// case folding is not applied ("ß" does not equal "ss"). Globs ("matches")
// and regular expressions therefore fold alike. This differs from
// Pigeonhole, whose default comparator (i;ascii-casemap) folds ASCII
// letters only.
//
// # Semantics
//
// Evaluation follows RFC 5228 and Pigeonhole's practice, as described in
// DESIGN.md §5: statements (absence blocks and rules) run in source order,
// disabled ones are skipped, "stop" ends the evaluation; the implicit keep
// holds unless discard, reject, reroute or file into cancels it; duplicate
// actions are merged; at most Options.MaxRedirects distinct reroute/copy
// targets per message; reject conflicts with keep, file into, reroute, copy
// and reply. As in Pigeonhole, an explicit keep is an action of its own (the
// implicit keep is then reported as not needed, see Result.Kept), and keep
// and file into "INBOX" are one store. Flags are merged into one flag action
// that applies to every store of the message, whatever the order of the
// rules: unlike Sieve's addflag, a flag written after a file into still
// applies to it.
//
// Errors never lose mail: a runtime conflict, a tracker failure, an
// exceeded budget (Options.MaxSteps, MaxScanBytes), a cancelled context or
// a panic all give the fail-safe result: the implicit keep, no other
// action, and the errors.
//
// # Damaged messages
//
// A message that could not be read faithfully (a malformed Cc, an unknown
// charset, truncated MIME, a header cut at its size limit) is still
// filtered: a reading problem makes unreliable only the header field or
// the body it concerns (message.Problem's scope, through ScopedProblems).
// A condition that reads a damaged value is not tested: its statement does
// not apply, whatever its other conditions say, it is listed in
// Result.Damaged, and the implicit keep holds; every other statement runs
// as usual, so a malformed Cc does not stop "from Dr Martin → copy to the
// secretariat". Body tests read the first message.Options.MaxBodyBytes of
// the text (Result.BodyTruncated says when there was more); that is not
// damage. The absence reply is withheld (code damaged-message) only when a
// field it depends on is damaged: the recipient fields, the auto-reply
// markers, Content-Type, or the header as a whole. A Message that reports
// problems without ScopedProblems is not filtered at all (the fail-safe
// result). Pigeonhole reads damaged values as they are; the differences
// are documented in the case corpus (testdata/unknown-charset).
//
// # Absence replies
//
// An absence block applies when the delivery time is in one of its windows
// (bounds read in the policy's zone, the end exclusive) and its condition
// holds; a "reply" action applies like any action. The first reply that
// applies is the only one for the message. Once every statement has run
// without error, the engine checks whether the reply may be sent (not
// to a bounce, a list, an automatic message, the holder, a sender outside
// the trust space, or a message not addressed to the holder), the reply is
// built, and only then is the Tracker claimed, so that a reply that is not
// sent is not recorded. The reply goes from the null sender to the envelope
// sender; its From is reply-from, else the first of the holder's addresses
// (the mailbox first, then the "also" ones) found among the recipients, as
// Pigeonhole does, else the mailbox. A reply that applied but was not sent
// is reported in Result.Suppressed.
//
// # Explanations
//
// With Delivery.Explain (or Options.Explain) the Result says why: each
// Action's Because lists the conditions that made its statement apply,
// with the values they compared (the From address, the decoded Subject,
// the delivery time in the policy's zone…), and Result.Explanations says
// what became of every statement, in source order: applied; not applied,
// with the condition that failed and the value seen; disabled; outside
// its windows; damaged; not reached after a "stop"; or, for a statement
// whose reply applied, why no reply was sent (an earlier reply came
// first, or Suppressed). Explaining and tracing (Delivery.Trace) do not
// change the evaluation: the statements run are those the "from is" index
// leaves, and a statement the index skipped is explained by its "from is"
// test and the addresses the message carried. Without them nothing is
// recorded, and the keep path does not allocate.
//
// # Trust
//
// A Program and a Result hold reroute and copy targets only as
// mssante.Target, which only (*mssante.List).Authorize builds. Compile
// refuses a policy whose literal targets are outside the trust space; at
// evaluation every target is authorised again against the current list of
// Options.Trust, which a daily refresh may have replaced. A target refused
// then is listed in Result.Refused, nothing is sent to it and the implicit
// keep is restored.
package engine
