package rules

// Action is something to do with an incoming message. The concrete types are
// the pointers to Keep, Discard, Reject, Reroute, Copy, FileInto, Flag, Stop
// and Reply.
type Action interface {
	Source() Range
	action()
}

// Keep stores the message in the inbox ("keep"). It is also what happens when
// no action cancels the implicit keep.
type Keep struct{ Node }

// Discard drops the message silently ("discard"): Mailiz's "Supprimer le
// courriel", and the absence screen's "Rejeter".
type Discard struct{ Node }

// Reject refuses the message with a reason sent back to the sender
// ("reject "…""): Mailiz's "Rejeter avec le courriel".
type Reject struct {
	Node
	Reason Literal
}

// Reroute sends the message to another address instead of this mailbox
// ("reroute to "…"", Sieve redirect). The target must be in the MSSanté
// trust space.
type Reroute struct {
	Node
	Target Literal
}

// Copy sends a copy of the message to another address and keeps it
// ("copy to "…"", Sieve redirect :copy). The target must be in the MSSanté
// trust space.
type Copy struct {
	Node
	Target Literal
}

// FileInto stores the message in a folder instead of the inbox
// ("file into "INBOX/Patients"").
type FileInto struct {
	Node
	Folder Literal
}

// Flag adds IMAP flags or keywords to the stored message
// ("flag "\\Flagged"").
type Flag struct {
	Node
	Flags []Literal
}

// Stop ends the evaluation of the policy ("stop").
type Stop struct{ Node }

// Reply sends an absence reply to the sender (RFC 5230 vacation). In a
// vacation block it is the block's reply; in a rule it is written
// "reply "…"" with the same optional settings.
type Reply struct {
	Node
	// Text is the body of the reply, required and non-empty.
	Text Literal
	// Subject is the reply's subject; nil means "Auto: " and the original.
	Subject *Literal
	// From is the reply's From address; nil means the mailbox.
	From *Literal
	// Period is the minimum time between two replies to the same sender;
	// nil means the engine's default (7 days).
	Period *Period
	// Handle names the reply for period tracking; nil means the reply is
	// identified by its content, so a changed text replies again.
	Handle *Literal
}

func (*Keep) action()     {}
func (*Discard) action()  {}
func (*Reject) action()   {}
func (*Reroute) action()  {}
func (*Copy) action()     {}
func (*FileInto) action() {}
func (*Flag) action()     {}
func (*Stop) action()     {}
func (*Reply) action()    {}
