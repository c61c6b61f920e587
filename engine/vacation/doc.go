// Package vacation is what an embedder of the tamis engine needs of
// absence replies (RFC 5230 "vacation"): the reply history, and the codes
// of replies not sent.
//
// A Tracker records the replies sent: Claim is an atomic "may I reply
// now?" check-and-set keyed by (mailbox, sender, response), where the
// response identifies the reply's text (its handle or a hash of its
// content), so a changed text replies again. MemoryTracker is the
// in-memory one for servers and tools, bounded per mailbox and in total
// (the globally oldest replies are forgotten first); FileTracker persists
// to a file for the CLI. A host gives the engine its Tracker
// (engine.Options.Tracker or engine.Delivery.Tracker) and shares it across
// recompilations, so that an edited policy does not answer a sender twice;
// replystate/bolt and replystate/redis are persistent ones.
//
// The Code constants are the reasons the engine gives, in
// engine.Result.Suppressed, for a reply that applied but was not sent
// (RFC 3834, RFC 5230 and Pigeonhole's rules, plus read receipts and
// bounces). Deciding whether a reply may be sent and writing its bytes are
// the engine's business (engine/internal/autoreply).
package vacation
