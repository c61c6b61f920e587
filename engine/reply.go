package engine

import (
	"fmt"
	"strings"

	"github.com/tamis-mss/tamis/engine/internal/autoreply"
	"github.com/tamis-mss/tamis/engine/vacation"
)

// sendReply decides the absence reply of a: suppressed (with why), or built
// and claimed in the tracker. An error means nothing may be sent: the
// tracker could not answer, or the reply could not be built.
func (s *evalState) sendReply(a *compiledAction) (*OutgoingReply, *Suppressed, error) {
	p, spec, m := s.p, a.reply, s.d.Message
	sender := envelopeAddress(s.d.EnvelopeFrom)
	rcpt := envelopeAddress(s.d.EnvelopeTo)
	own := append(p.self(rcpt), s.d.Addresses...)
	if rcpt != "" && own[0] != rcpt {
		own = append(own, rcpt)
	}
	list := s.list
	trusted := func(addr string) bool {
		_, domain := splitAddress(envelopeAddress(addr))
		return domain != "" && list.Contains(domain)
	}
	if s.scoped != nil {
		if name, err := s.replyDamage(); err != nil {
			reason := fmt.Sprintf("the header of the message, which the reply depends on, could not be read: %v", err)
			if name != "" {
				reason = fmt.Sprintf("the %s field of the message, which the reply depends on, could not be read: %v", name, err)
			}
			return nil, &Suppressed{Code: CodeDamaged, Rule: a.stmt.name, Range: a.rng.Range(), Reason: reason}, nil
		}
	}
	if sup := autoreply.Check(m, sender, own, trusted); sup != nil {
		return nil, &Suppressed{Code: sup.Code, Reason: sup.Reason, Rule: a.stmt.name, Range: a.rng.Range()}, nil
	}

	mailbox := p.mailbox
	if mailbox == "" {
		mailbox = rcpt
	}
	from, fromAddr := spec.from, spec.fromAddr
	if from == "" {
		from = s.addressedTo(own, mailbox)
		fromAddr = from
	}
	subject := spec.subject
	if !spec.hasSubject {
		subject = autoreply.AutoSubject(first(s.values(slotSubject)))
	}
	r := autoreply.Reply{From: from, To: sender, Subject: subject, Body: spec.text, Date: s.now}
	if ids := autoreply.MessageIDs(first(s.values(slotMessageID))); len(ids) > 0 {
		r.InReplyTo = ids[0]
		for _, refs := range s.values(slotReferences) {
			r.References = append(r.References, autoreply.MessageIDs(refs)...)
		}
	}
	raw, err := autoreply.Build(r)
	if err != nil {
		return nil, nil, fmt.Errorf("build the absence reply: %w", err)
	}

	key := vacation.Key{Mailbox: mailbox, Sender: sender, Response: spec.id}.Normalize()
	out := &OutgoingReply{To: sender, From: from, Subject: subject, Bytes: raw,
		Rule: a.stmt.name, Range: a.rng.Range(), Period: spec.period, Key: key}
	if s.d.DryRun {
		out.DryRun = true // a preview uses no reply slot
		return out, nil, nil
	}
	tracker := s.d.Tracker
	if tracker == nil {
		tracker = p.opts.Tracker
	}
	if tracker == nil {
		return nil, nil, ErrNoTracker
	}
	ok, err := tracker.Claim(s.ctx, key, s.now, spec.period)
	if err != nil {
		return nil, nil, fmt.Errorf("absence reply not sent: the reply tracker failed: %w", err)
	}
	if !ok {
		return nil, &Suppressed{Code: "already-replied", Rule: a.stmt.name, Range: a.rng.Range(),
			Reason: fmt.Sprintf("a reply was already sent to %s within the last %s", sender, formatPeriod(spec.period))}, nil
	}
	return &OutgoingReply{To: sender, From: fromAddr, Subject: subject, Bytes: raw,
		Rule: a.stmt.name, Range: a.rng.Range(), Period: spec.period, Key: key}, nil, nil
}

func first(values []string) string {
	if len(values) > 0 {
		return trimSpace(values[0])
	}
	return ""
}

// recipientFields are the header fields that name the recipients of a
// message, as autoreply.Check reads them.
var recipientFields = [...]string{"To", "Cc", "Bcc", "Resent-To", "Resent-Cc", "Resent-Bcc"}

// addressedTo returns the From of a reply without reply-from: the first of
// the holder's addresses (the mailbox first) that the message was written
// to, as Pigeonhole does, so that a correspondent who wrote to an "also"
// address gets the answer from it; def when none is found.
func (s *evalState) addressedTo(own []string, def string) string {
	m := s.d.Message
	for _, addr := range own {
		for _, f := range recipientFields {
			for _, a := range m.Addresses(f) {
				if strings.EqualFold(s.addressValue(a), addr) {
					return addr
				}
			}
		}
	}
	return def
}
