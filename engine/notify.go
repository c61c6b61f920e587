package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/tamis-mss/tamis/engine/notice"
	"github.com/tamis-mss/tamis/engine/vacation"
	"github.com/tamis-mss/tamis/mssante"
	"github.com/tamis-mss/tamis/rules"
)

// Notice is an arrival notice the host must send, as it sends an absence
// reply: envelope sender EnvelopeFrom() ("", the null sender <>), envelope
// recipient To(), and Bytes() as the message. The embedded notice.Notice
// is built only by notice.Build, from the policy's checked recipient and
// text, the mailbox and the date: it cannot hold data of the message.
// Rule and Range say which statement asked for it, for the host's logs;
// they are not part of the notice.
type Notice struct {
	notice.Notice
	Rule  string
	Range rules.Range
	// Limit is the period the tracker was asked for; 0 means none.
	Limit time.Duration
}

// HeldNotice tells why a notice that applied was not sent.
type HeldNotice struct {
	To string
	// Code is "rate-limited" (a notice went to To within the limit),
	// "self-target" (To is the delivery's own mailbox) or "no-mailbox" (the
	// program names no mailbox and the delivery has no valid envelope
	// recipient to send the notice from).
	Code   string
	Reason string
	Rule   string
	Range  rules.Range
}

// Notice codes of the compile diagnostics.
const (
	// CodeNoticeMessageData is a notice text that asks for a value of the
	// message ("${subject}").
	CodeNoticeMessageData rules.Code = notice.CodeMessageData
	// CodeInvalidNoticeText is a notice text that is empty, too long or
	// holds control characters.
	CodeInvalidNoticeText rules.Code = notice.CodeInvalidText
)

// noticeSpec is a compiled notify action: everything the notice holds,
// fixed at compile time.
type noticeSpec struct {
	to    notice.Recipient
	text  notice.Text
	limit time.Duration
	id    string // identity of the notice for rate tracking
}

// notice compiles a notify action; nil when it is refused (reported).
func (c *compiler) notice(a *rules.Notify) *noticeSpec {
	to, err := notice.ParseRecipient(a.Target.Value, c.self...)
	if err != nil {
		c.refusal(a.Target, "notice recipient", err)
		return nil
	}
	spec := &noticeSpec{to: to, text: notice.Default()}
	if a.Text != nil {
		text, err := notice.ParseText(a.Text.Value)
		if err != nil {
			var te *notice.TextError
			errors.As(err, &te)
			hint := "write the text the notice says, fixed: the notice carries nothing of the message"
			if te.Code == notice.CodeInvalidText {
				hint = "write a short text of printable characters, or leave saying out for the default text"
			}
			c.diag(rules.Error, rules.Code(te.Code), textRange(*a.Text, te.Offset, te.Length), te.Error(), hint)
			return nil
		}
		spec.text = text
	}
	if a.Limit != nil {
		spec.limit = a.Limit.Duration()
	}
	sum := sha256.Sum256([]byte(spec.text.String()))
	spec.id = "notice:" + hex.EncodeToString(sum[:12])
	return spec
}

// textRange is the range of the bytes [off, off+n) of lit's value when
// the literal is a one-line string written without escapes (its source is
// the value between two quotes), else the literal's range.
func textRange(lit rules.Literal, off, n int) rules.Range {
	r := lit.Range
	if n <= 0 || !r.IsValid() || r.Start.Line != r.End.Line ||
		r.End.Offset-r.Start.Offset != len(lit.Value)+2 || off+n > len(lit.Value) {
		return r
	}
	start := r.Start
	start.Offset += 1 + off
	start.Column += 1 + utf8.RuneCountInString(lit.Value[:off])
	end := start
	end.Offset += n
	end.Column += utf8.RuneCountInString(lit.Value[off : off+n])
	return rules.Range{File: r.File, Start: start, End: end}
}

// hasNotice reports whether a notice to a's recipient was already
// triggered: one notice per address per message.
func (s *evalState) hasNotice(a *compiledAction) bool {
	for _, b := range s.acts {
		if b.kind == ActionNotify && b.notice.to.Is(a.notice.to.String()) {
			return true
		}
	}
	return false
}

// sendNotice builds the notice of a, or says why it is held. Its inputs
// are the compiled spec, the mailbox and the time: nothing of the message.
// An error means the rate tracker could not answer.
func (s *evalState) sendNotice(a *compiledAction) (Notice, *HeldNotice, error) {
	spec := a.notice
	to := spec.to.String()
	held := func(code, reason string) (Notice, *HeldNotice, error) {
		return Notice{}, &HeldNotice{To: to, Code: code, Reason: reason, Rule: a.stmt.name, Range: a.rng.Range()}, nil
	}
	rcpt := envelopeAddress(s.d.EnvelopeTo)
	for _, own := range append(s.p.self(rcpt), s.d.Addresses...) {
		if spec.to.Is(own) {
			return held(mssante.CodeSelfTarget, fmt.Sprintf("%s is the mailbox itself", to))
		}
	}
	mailbox := s.p.mailbox
	if mailbox == "" {
		mailbox = rcpt
	}
	if _, err := mssante.ParseAddress(mailbox); err != nil {
		return held("no-mailbox", "no valid mailbox address to send the notice from (the policy names none and the envelope recipient is not a plain address)")
	}
	if spec.limit > 0 && !s.d.DryRun {
		tracker := s.d.Tracker
		if tracker == nil {
			tracker = s.p.opts.Tracker
		}
		if tracker == nil {
			return Notice{}, nil, ErrNoTracker
		}
		key := vacation.Key{Mailbox: mailbox, Sender: to, Response: spec.id}.Normalize()
		ok, err := tracker.Claim(s.ctx, key, s.now, spec.limit)
		if err != nil {
			return Notice{}, nil, fmt.Errorf("notice not sent: the rate tracker failed: %w", err)
		}
		if !ok {
			return held("rate-limited", fmt.Sprintf("a notice was already sent to %s within the last %s", to, formatPeriod(spec.limit)))
		}
	}
	n, err := notice.Build(spec.to, spec.text, mailbox, s.now)
	if err != nil {
		return held("no-mailbox", err.Error())
	}
	return Notice{Notice: n, Rule: a.stmt.name, Range: a.rng.Range(), Limit: spec.limit}, nil, nil
}
