package vacation

// Suppression codes: why an absence reply that applied was not sent
// (engine.Suppressed.Code), stable for logs, traces and tests.
const (
	// CodeNullSender: the envelope sender is empty ("<>"), as for bounces
	// and notifications.
	CodeNullSender = "null-sender"
	// CodeInvalidSender: the envelope sender is not a plain address (no
	// '@', a quoted local part, an IP literal, non-ASCII, control
	// characters…). Not in the engine contract's list: an addition.
	CodeInvalidSender = "invalid-sender"
	// CodeOwnAddress: the sender is one of the holder's own addresses.
	CodeOwnAddress = "own-address"
	// CodeMailingList: the message carries a List-* header field.
	CodeMailingList = "mailing-list"
	// CodeAutoSubmitted: the message has Auto-Submitted other than "no".
	CodeAutoSubmitted = "auto-submitted"
	// CodePrecedence: the message has Precedence bulk, list or junk.
	CodePrecedence = "precedence"
	// CodeSystemSender: the sender is MAILER-DAEMON, LISTSERV, majordomo,
	// owner-* or *-request* (local part, any case).
	CodeSystemSender = "system-sender"
	// CodeNotAddressed: none of the holder's addresses is in To, Cc, Bcc,
	// Resent-To, Resent-Cc or Resent-Bcc.
	CodeNotAddressed = "not-addressed"
	// CodeBounce: the message is a delivery status notification (DSN):
	// multipart/report with report-type=delivery-status, or a bare
	// message/delivery-status.
	CodeBounce = "bounce"
	// CodeReadReceipt: the message is a message disposition notification
	// (MDN, a read receipt): multipart/report with
	// report-type=disposition-notification, or a bare
	// message/disposition-notification.
	CodeReadReceipt = "read-receipt"
	// CodeUntrustedSender: the sender is outside the MSSanté trust space.
	CodeUntrustedSender = "untrusted-sender"
)
