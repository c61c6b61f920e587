package rules

// Notify sends an arrival notice: a short mail to an ordinary address
// (often outside the MSSanté trust space) saying that a message arrived,
// with a text fixed by the policy and no data of the message
// ("notify "dr.martin.perso@gmail.com" saying "…" at most once per hour").
// It is Mailiz's "Être notifié sur ma BAL classique". It does not cancel
// the implicit keep.
type Notify struct {
	Node
	// Target is the address notified: one plain address, not a patient
	// mailbox, not the mailbox itself.
	Target Literal
	// Text is the body of the notice; nil means the engine's default text.
	// It may not ask for a value of the message ("${subject}").
	Text *Literal
	// Limit is the minimum time between two notices to Target from this
	// mailbox; nil means one notice per message.
	Limit *Period
}

func (*Notify) action() {}
