package serve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"syscall"
	"time"
	"unicode"

	"github.com/emersion/go-smtp"
	"golang.org/x/text/unicode/norm"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/mssante"
	"github.com/tamis-mss/tamis/serve/maildir"
	"github.com/tamis-mss/tamis/serve/relay"
)

// Agent carries out deliveries: one recipient at a time, it evaluates the
// mailbox's policy, hands copies, reroutes and the absence reply to the
// relay and stores the message, and says what to answer. It does not speak
// LMTP (see Backend), so that it can be tested and benchmarked alone.
type Agent struct {
	Policies *Policies
	Relay    *relay.Relay
	Trust    *mssante.TrustSpace
	Log      *slog.Logger
	Metrics  *Metrics
	// MaildirPath is the [maildir] path template.
	MaildirPath string
	// Separator is the folder hierarchy separator of policies.
	Separator byte
	// Delimiter is the recipient delimiter, 0 for none.
	Delimiter byte
	// EnvelopeFrom and Postmaster are [relay] envelope_from and postmaster.
	EnvelopeFrom, Postmaster string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Answers of the delivery agent, by cause, in English and French (without
// accents: SMTP replies are ASCII).
var (
	errStoreUnavailable = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
		Message: "policy store unavailable, try again later / stockage des regles indisponible, reessayez plus tard"}
	errStateUnavailable = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
		Message: "reply state unavailable, try again later / etat des reponses indisponible, reessayez plus tard"}
	errRelayUnavailable = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 4, 0},
		Message: "relay unavailable for a copy or reroute, try again later / relais indisponible, reessayez plus tard"}
	errMaildirFull = &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 3, 1},
		Message: "mail storage full, try again later / stockage plein, reessayez plus tard"}
	errMaildir = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
		Message: "mail storage unavailable, try again later / stockage indisponible, reessayez plus tard"}
	errTimeout = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 4, 7},
		Message: "delivery took too long, try again later / delai depasse, reessayez plus tard"}
)

// errState marks the errors of the reply state (see stateTracker), so that
// an evaluation that failed because of it is answered 4xx.
var errState = errors.New("reply state")

// Recipient is one recipient of a message: the address as RCPT TO gave it
// and the mailbox it belongs to.
type Recipient struct {
	Given   string // as RCPT TO gave it
	Address string // as given, lower-cased
	Mailbox string // without the detail after the recipient delimiter
	Local   string // the mailbox's local part
	Domain  string // the mailbox's domain
}

// ParseRecipient checks an RCPT TO address and finds its mailbox. It
// refuses what could not name a Maildir safely: no "@", an empty part,
// "/", "\", a control character or a leading "." in a part.
func ParseRecipient(addr string, delimiter byte) (Recipient, error) {
	a := strings.ToLower(strings.TrimSpace(addr))
	local, domain, ok := strings.Cut(a, "@")
	if !ok || strings.Contains(domain, "@") {
		return Recipient{}, fmt.Errorf("%q is not local@domain", addr)
	}
	if delimiter != 0 {
		if i := strings.IndexByte(local, delimiter); i > 0 {
			local = local[:i]
		}
	}
	for _, part := range []string{local, domain} {
		if part == "" || part[0] == '.' || len(part) > 255 {
			return Recipient{}, fmt.Errorf("%q has an empty part, one longer than 255 bytes or one starting with \".\"", addr)
		}
		for _, r := range part {
			if r == '/' || r == '\\' || unicode.IsControl(r) || unicode.IsSpace(r) {
				return Recipient{}, fmt.Errorf("%q contains %q", addr, r)
			}
		}
	}
	return Recipient{Given: addr, Address: a, Mailbox: local + "@" + domain, Local: local, Domain: domain}, nil
}

// Maildir returns the recipient's Maildir.
func (a *Agent) Maildir(r Recipient) *maildir.Maildir {
	return maildir.New(strings.NewReplacer("%u", r.Mailbox, "%n", r.Local, "%d", r.Domain).Replace(a.MaildirPath))
}

func (a *Agent) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// Deliver carries out the delivery of msg (raw, as received) from the
// envelope sender from to rcpt. It returns nil once everything the policy
// asks is done and the message is durable, a 4xx *smtp.SMTPError when
// something could not be done now (the MTA retries), or a 5xx one for a
// reject.
//
// The order limits what a retry repeats: evaluate (which claims the reply),
// hand off copies and reroutes (the step most likely to fail for a while),
// then store; the absence reply is sent whatever happened after its claim,
// since a retry would find it claimed and not send it.
func (a *Agent) Deliver(ctx context.Context, msg engine.Message, raw []byte, from string, rcpt Recipient) (answer error) {
	log := a.Log.With("mailbox", rcpt.Mailbox, "rcpt", rcpt.Address, "from", from)
	defer func() { a.count(answer) }()

	res := engine.Result{ImplicitKeep: true}
	prog, err := a.Policies.Program(ctx, rcpt.Mailbox)
	if err != nil {
		a.Metrics.errors.WithLabelValues("store").Inc()
		log.Error("policy store unavailable: answered 4xx", "err", err)
		if ctx.Err() != nil {
			return errTimeout
		}
		return errStoreUnavailable
	}
	if prog != nil {
		start := time.Now()
		res = prog.Evaluate(ctx, engine.Delivery{Message: msg, EnvelopeFrom: from, EnvelopeTo: rcpt.Address, Time: a.now()})
		a.Metrics.evaluation.Observe(time.Since(start).Seconds())
	}
	for _, e := range res.Errors {
		if errors.Is(e, errState) {
			a.Metrics.errors.WithLabelValues("state").Inc()
			log.Error("reply state unavailable: answered 4xx", "err", e)
			return errStateUnavailable
		}
		if errors.Is(e, context.DeadlineExceeded) || errors.Is(e, context.Canceled) {
			log.Error("evaluation interrupted: answered 4xx", "err", e)
			return errTimeout
		}
		a.Metrics.errors.WithLabelValues("evaluation").Inc()
		log.Warn("evaluation error: the message is kept", "err", e)
	}
	for _, r := range res.Refused {
		a.Metrics.refusals.WithLabelValues("evaluation", r.Code).Inc()
		log.Warn("target refused by the trust check: the message is kept", "action", r.Kind.String(),
			"target", r.Target, "code", r.Code, "rule", r.Rule, "reason", r.Reason)
	}
	if res.Suppressed != nil {
		a.Metrics.replies.WithLabelValues("suppressed", res.Suppressed.Code).Inc()
		log.Info("absence reply not sent", "code", res.Suppressed.Code, "rule", res.Suppressed.Rule, "reason", res.Suppressed.Reason)
	}
	if res.Reply != nil {
		defer a.sendReply(ctx, log, res.Reply)
	}

	var folders []maildir.Folder
	var flags []string
	keep := res.ImplicitKeep
	for _, act := range res.Actions {
		switch act.Kind {
		case engine.ActionReject:
			a.Metrics.actions.WithLabelValues("reject").Inc()
			log.Info("rejected", "rule", act.Rule)
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: replyText(act.Reason)}
		case engine.ActionFlag:
			flags = append(flags, act.Flags...)
		}
	}
	for _, act := range res.Actions {
		switch act.Kind {
		case engine.ActionCopy, engine.ActionReroute:
			err := a.Relay.Forward(ctx, a.forwardFrom(from, rcpt), act.Target, []string{rcpt.Mailbox, rcpt.Address}, raw)
			var refused *relay.RefusedError
			switch {
			case err == nil:
				a.Metrics.actions.WithLabelValues(act.Kind.String()).Inc()
				log.Info("relayed", "action", act.Kind.String(), "target", act.Target.String(), "rule", act.Rule)
			case errors.As(err, &refused):
				a.Metrics.refusals.WithLabelValues("relay", refused.Code()).Inc()
				log.Warn("target refused by the trust check at hand-off: the message is kept", "action", act.Kind.String(),
					"target", act.Target.String(), "code", refused.Code(), "rule", act.Rule, "reason", refused.Reason)
				keep = true
			case relay.IsTemporary(err):
				a.Metrics.errors.WithLabelValues("relay").Inc()
				log.Error("relay failed: answered 4xx", "action", act.Kind.String(), "target", act.Target.String(), "err", err)
				if ctx.Err() != nil {
					return errTimeout
				}
				return errRelayUnavailable
			default:
				a.Metrics.errors.WithLabelValues("relay").Inc()
				log.Error("relay refused the message: it is kept instead", "action", act.Kind.String(), "target", act.Target.String(), "err", err)
				keep = true
			}
		case engine.ActionKeep:
			folders = append(folders, maildir.Inbox)
		case engine.ActionFileInto:
			f, err := maildir.ParseFolder(act.Folder, a.Separator)
			if err != nil {
				log.Warn("folder name refused: the message goes to the inbox", "folder", act.Folder, "rule", act.Rule, "err", err)
				f = maildir.Inbox
			}
			folders = append(folders, f)
		case engine.ActionDiscard:
			a.Metrics.actions.WithLabelValues("discard").Inc()
			log.Info("discarded", "rule", act.Rule)
		}
	}
	if keep {
		folders = append(folders, maildir.Inbox)
	}
	if len(folders) == 0 {
		return nil
	}
	md := a.Maildir(rcpt)
	d, err := md.Deliver(raw, folders, flags)
	if err != nil {
		a.Metrics.errors.WithLabelValues("maildir").Inc()
		log.Error("storing failed: answered 4xx", "maildir", md.Root(), "err", err)
		if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
			return errMaildirFull
		}
		return errMaildir
	}
	for _, f := range folders {
		if f.IsInbox() {
			a.Metrics.actions.WithLabelValues("keep").Inc()
		} else {
			a.Metrics.actions.WithLabelValues("fileinto").Inc()
		}
	}
	if len(d.Dropped) > 0 {
		log.Warn("flags not stored: no keyword slot left", "flags", d.Dropped)
	}
	log.Info("stored", "folders", folderNames(folders), "flags", flags)
	return nil
}

// sendReply hands the absence reply to the relay; a failure is logged and
// counted, never answered 4xx: the reply is claimed, a retry would not send
// it.
func (a *Agent) sendReply(ctx context.Context, log *slog.Logger, r *engine.OutgoingReply) {
	err := a.Relay.Reply(ctx, r.To, r.Bytes)
	var refused *relay.RefusedError
	switch {
	case err == nil:
		a.Metrics.actions.WithLabelValues("reply").Inc()
		a.Metrics.replies.WithLabelValues("sent", "").Inc()
		log.Info("absence reply sent", "to", r.To, "rule", r.Rule)
	case errors.As(err, &refused):
		a.Metrics.refusals.WithLabelValues("relay", refused.Code()).Inc()
		a.Metrics.replies.WithLabelValues("failed", "refused").Inc()
		log.Warn("absence reply refused by the trust check at hand-off", "to", r.To, "rule", r.Rule, "reason", refused.Reason)
	default:
		a.Metrics.errors.WithLabelValues("relay").Inc()
		a.Metrics.replies.WithLabelValues("failed", "relay").Inc()
		log.Error("absence reply not sent: relay failed", "to", r.To, "rule", r.Rule, "err", err)
	}
}

// forwardFrom is the envelope sender of a copy or reroute, per [relay]
// envelope_from.
func (a *Agent) forwardFrom(from string, rcpt Recipient) string {
	switch ef := a.EnvelopeFrom; {
	case ef == "recipient":
		return rcpt.Mailbox
	case ef == "postmaster":
		return a.Postmaster
	case strings.HasPrefix(ef, "<"):
		return strings.Trim(ef, "<>")
	}
	return strings.Trim(from, "<>")
}

func (a *Agent) count(answer error) {
	var se *smtp.SMTPError
	switch {
	case answer == nil:
		a.Metrics.deliveries.WithLabelValues("delivered").Inc()
	case errors.As(answer, &se) && se.Code >= 500:
		a.Metrics.deliveries.WithLabelValues("rejected").Inc()
	default:
		a.Metrics.deliveries.WithLabelValues("deferred").Inc()
	}
}

func folderNames(fs []maildir.Folder) []string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.String()
	}
	return names
}

// replyText makes a reject reason fit an SMTP reply line: one line of
// printable ASCII (accents dropped), at most 400 bytes.
func replyText(reason string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(reason) {
		switch {
		case r == '\r' || r == '\n' || r == '\t':
			b.WriteByte(' ')
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		}
		if b.Len() >= 400 {
			break
		}
	}
	s := strings.Join(strings.Fields(b.String()), " ")
	if s == "" {
		s = "rejected by the recipient's policy / refuse par la regle du destinataire"
	}
	return s
}
