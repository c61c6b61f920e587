// Package vacation is the absence-reply (RFC 5230 "vacation") part of the
// tamis engine: whether an incoming message may be answered, how replies
// are tracked so that a sender gets at most one per period, and the bytes
// of the reply itself.
//
// The three steps are independent so that the engine, the CLI and tests can
// use them one by one:
//
//  1. Check decides whether a reply may be sent at all. It refuses, with a
//     stable Suppression code and a readable reason, what RFC 3834, RFC 5230
//     and Dovecot Pigeonhole refuse (null, system, own or untrusted senders;
//     Auto-Submitted, mailing lists, bulk precedence; messages not addressed
//     to the holder) and, unlike Pigeonhole, read receipts (MDN) and bounces
//     (DSN).
//  2. A Tracker records the replies sent: Claim is an atomic "may I reply
//     now?" check-and-set keyed by (mailbox, sender, response), where the
//     response is ResponseID's handle or content hash, so a changed text
//     replies again. MemoryTracker is the in-memory default for servers,
//     bounded per mailbox and in total (the globally oldest replies are
//     forgotten first); FileTracker persists to a file for the CLI.
//  3. Build writes the reply: RFC 5322 bytes with CRLF line ends, an
//     RFC 2047-encoded subject, In-Reply-To and References, Auto-Submitted:
//     auto-replied and a quoted-printable UTF-8 body. No header can be
//     injected: CR, LF and NUL in header values are refused.
//
// The package sends nothing: the host sends the bytes with an empty
// envelope sender (MAIL FROM:<>) to the envelope sender of the original
// message.
package vacation
