// Package autoreply decides whether an absence reply may be sent and
// writes it, for the engine:
//
//  1. Check decides whether a reply may be sent at all. It refuses, with a
//     stable Suppression code (vacation.Code*) and a readable reason, what
//     RFC 3834, RFC 5230 and Dovecot Pigeonhole refuse (null, system, own
//     or untrusted senders; Auto-Submitted, mailing lists, bulk
//     precedence; messages not addressed to the holder) and, unlike
//     Pigeonhole, read receipts (MDN) and bounces (DSN).
//  2. ResponseID identifies a reply's text for the tracker (package
//     vacation), so that a changed text replies again.
//  3. Build writes the reply: RFC 5322 bytes with CRLF line ends, an
//     RFC 2047-encoded subject, In-Reply-To and References, Auto-Submitted:
//     auto-replied and a quoted-printable UTF-8 body. No header can be
//     injected: CR, LF and NUL in header values are refused.
//
// The package sends nothing: the host sends the bytes with an empty
// envelope sender (MAIL FROM:<>) to the envelope sender of the original
// message.
package autoreply
