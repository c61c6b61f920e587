// Package notice builds arrival notices: the short message that tells a
// professional, on an ordinary address (often outside the MSSanté trust
// space), that a secure message has arrived — and nothing else.
//
// A notice is the only thing a policy may send outside the trust space, so
// its content is fixed by the policy and structurally empty of the
// message's data:
//
//   - a Recipient is built only by ParseRecipient, which accepts one plain
//     address (no display name, route, comment or second address) that is
//     neither a patient mailbox nor the mailbox itself;
//   - a Text is built only by ParseText, which the engine calls at compile
//     time on the policy's literal and which refuses placeholders such as
//     Sieve's "${subject}" that would ask for a value of the message;
//   - a Notice is built only by Build, from a Recipient, a Text, the
//     mailbox address and a date: none of its inputs can carry the
//     incoming message's sender, subject, body, attachment names or folder.
//
// The notice's subject is the constant Subject; its body is the Text
// (DefaultText when the policy gives none); its header carries
// Auto-Submitted: auto-notified (RFC 3834, as RFC 5436 asks of mailto
// notifications); the host sends it with an empty envelope sender
// (MAIL FROM:<>).
package notice
