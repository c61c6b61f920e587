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
// Errors never lose mail: a message with problems (unknown charset, truncated
// MIME, oversized header…), a runtime conflict, a tracker failure, a
// cancelled context or a panic all give the fail-safe result: the implicit
// keep, no other action, and the errors. A message that could not be read
// faithfully is not filtered at all, because a rule that tests a garbled
// value could misroute it; it lands in the inbox and the host logs why.
//
// # Absence replies
//
// An absence block applies when the delivery time is in one of its windows
// (bounds read in the policy's zone, the end exclusive) and its condition
// holds; a "reply" action applies like any action. The first reply that
// applies is the only one for the message. Once every statement has run
// without error, vacation.Check decides whether the reply may be sent (not
// to a bounce, a list, an automatic message, the holder, a sender outside
// the trust space, or a message not addressed to the holder), the reply is
// built, and only then is the Tracker claimed, so that a reply that is not
// sent is not recorded. The reply goes from the null sender to the envelope
// sender; its From is reply-from, else the first of the holder's addresses
// (the mailbox first, then the "also" ones) found among the recipients, as
// Pigeonhole does, else the mailbox. A reply that applied but was not sent
// is reported in Result.Suppressed.
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
