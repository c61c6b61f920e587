// Package relay hands copies, reroutes and absence replies to an SMTP
// relay, normally the local Postfix, which queues and retries them.
//
// A Relay only accepts an mssante.Target for copies and reroutes (which
// only the trust list's Authorize builds) and authorises it again against
// the list current at hand-off, so that a target that left the MSSanté
// trust space since the evaluation is refused; an absence reply goes only
// to a sender whose domain is in the current list. Replies are sent with
// the null envelope sender (MAIL FROM:<>). Messages are written through
// the SMTP DATA dot-stuffing of github.com/emersion/go-smtp, so a line
// starting with "." arrives intact.
//
// Errors say whether a retry may succeed: *RefusedError (the trust check
// refused the target: nothing was sent), an error for which IsTemporary is
// true (network, timeout, 4xx: retry later), or a permanent one (5xx).
package relay
