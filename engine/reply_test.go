package engine

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/engine/vacation"
	"github.com/tamis-mss/tamis/rules"
)

// recordingTracker grants every claim and records it.
type recordingTracker struct {
	mu     sync.Mutex
	claims []claim
}

type claim struct {
	key    vacation.Key
	now    time.Time
	period time.Duration
}

func (r *recordingTracker) Claim(_ context.Context, key vacation.Key, now time.Time, period time.Duration) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.claims = append(r.claims, claim{key, now, period})
	return true, nil
}

func replyAction(text string) *rules.Reply { return &rules.Reply{Node: pos(), Text: lit(text)} }

func TestReplyDefaults(t *testing.T) {
	rec := &recordingTracker{}
	v := winterAbsence()
	v.Reply.Subject = nil
	p := compile(t, policy(v), Options{Tracker: rec})
	r := eval(p, inAbsence(simpleMsg(t, drMartin, "Résultats de Mme Durand")))
	require.NotNil(t, r.Reply, "%s", r)
	require.Equal(t, "Auto: Résultats de Mme Durand", r.Reply.Subject)
	raw := string(r.Reply.Bytes)
	require.Contains(t, strings.ToLower(raw), "subject: =?utf-8?")
	require.Contains(t, raw, "From: "+mailbox)
	require.Len(t, rec.claims, 1)
	require.Equal(t, DefaultPeriod, rec.claims[0].period)
	require.Equal(t, vacation.Key{Mailbox: mailbox, Sender: drMartin, Response: p.stmts[0].reply.id}, rec.claims[0].key)
	require.Equal(t, time.Date(2025, 12, 24, 10, 0, 0, 0, paris), rec.claims[0].now)
}

func TestReplySettings(t *testing.T) {
	rec := &recordingTracker{}
	v := winterAbsence()
	from := lit("a.martin@medecin.mssante.fr")
	v.Reply.From = &from
	v.Reply.Period = &rules.Period{Node: pos(), Amount: 3, Unit: rules.Days}
	pol := policy(v)
	pol.Also = []rules.Literal{rules.Lit("a.martin@medecin.mssante.fr")}
	p := compile(t, pol, Options{Tracker: rec})
	r := eval(p, inAbsence(simpleMsg(t, drMartin, "x")))
	require.NotNil(t, r.Reply, "%s", r)
	require.Equal(t, "a.martin@medecin.mssante.fr", r.Reply.From)
	require.Equal(t, 72*time.Hour, r.Reply.Period)
	require.Equal(t, 72*time.Hour, rec.claims[0].period)

	// The site maximum clamps the period.
	p = compile(t, pol, Options{Tracker: rec, MaxPeriod: 48 * time.Hour})
	require.Equal(t, 48*time.Hour, eval(p, inAbsence(simpleMsg(t, drMartin, "x"))).Reply.Period)
}

// A changed text replies again; with a handle, it does not.
func TestReplyIdentity(t *testing.T) {
	for _, handle := range []bool{false, true} {
		tracker := vacation.NewMemoryTracker(0)
		d := inAbsence(simpleMsg(t, drMartin, "x"))
		var replies int
		for _, text := range []string{"Absent.", "Absent jusqu'au 5 janvier."} {
			v := winterAbsence()
			v.Reply.Text = lit(text)
			if handle {
				h := lit("hiver-2025")
				v.Reply.Handle = &h
			}
			if eval(compile(t, policy(v), Options{Tracker: tracker}), d).Reply != nil {
				replies++
			}
		}
		want := 2
		if handle {
			want = 1
		}
		require.Equal(t, want, replies, "handle %v", handle)
	}
}

func TestReplySuppressedForOwnAndUnaddressed(t *testing.T) {
	pol := policy(winterAbsence())
	pol.Also = []rules.Literal{rules.Lit("a.martin@medecin.mssante.fr")}
	p := compile(t, pol, Options{})

	d := inAbsence(simpleMsg(t, "a.martin@medecin.mssante.fr", "x"))
	d.EnvelopeFrom = "A.Martin@medecin.mssante.fr"
	r := eval(p, d)
	require.NotNil(t, r.Suppressed, "%s", r)
	require.Equal(t, "own-address", r.Suppressed.Code)

	m := parseMsg(t, "From: "+drMartin+"\nTo: quelquun@chu-nantes.mssante.fr\nSubject: x\n\nx\n")
	r = eval(p, inAbsence(m))
	require.NotNil(t, r.Suppressed, "%s", r)
	require.Equal(t, "not-addressed", r.Suppressed.Code)

	// Mail to an "also" address is addressed to the holder, and answered
	// from that address (Pigeonhole does the same).
	m = parseMsg(t, "From: "+drMartin+"\nTo: A.Martin@medecin.mssante.fr\nSubject: x\n\nx\n")
	r = eval(p, inAbsence(m))
	require.NotNil(t, r.Reply)
	require.Equal(t, "a.martin@medecin.mssante.fr", r.Reply.From)

	// When the mailbox is among the recipients too, it is the reply's From.
	m = parseMsg(t, "From: "+drMartin+"\nTo: a.martin@medecin.mssante.fr\nCc: "+mailbox+"\nSubject: x\n\nx\n")
	d = inAbsence(m)
	d.EnvelopeFrom = "secretariat@chu-nantes.mssante.fr" // not yet answered
	r = eval(p, d)
	require.NotNil(t, r.Reply, "%s", r)
	require.Equal(t, mailbox, r.Reply.From)
}

// A reply in a rule, and one reply per message at most.
func TestReplyActionAndOnePerMessage(t *testing.T) {
	rec := &recordingTracker{}
	r1 := rule("Réponse", nil, replyAction("Message reçu."))
	p := compile(t, policy(winterAbsence(), r1), Options{Tracker: rec})
	r := eval(p, inAbsence(simpleMsg(t, drMartin, "x")))
	require.Equal(t, "reply copy:"+rempl+" implicit-keep", brief(r))
	require.Equal(t, "Congés d'hiver", r.Reply.Rule)
	require.Len(t, rec.claims, 1)

	// Outside the absence, the rule's reply is sent.
	r = eval(p, deliver(simpleMsg(t, drMartin, "x")))
	require.Equal(t, "reply implicit-keep", brief(r))
	require.Equal(t, "Réponse", r.Reply.Rule)
	require.Contains(t, string(r.Reply.Bytes), "\r\n\r\nMessage re=C3=A7u.") // quoted-printable body
}

func TestReplyConflictsWithReject(t *testing.T) {
	rec := &recordingTracker{}
	p := compile(t, policy(winterAbsence(), rule("Refus", nil, reject("non"))), Options{Tracker: rec})
	r := eval(p, inAbsence(simpleMsg(t, drMartin, "x")))
	require.Equal(t, "implicit-keep error", brief(r))
	require.Empty(t, rec.claims, "nothing may be recorded for a reply that is not sent")
}

// Without a mailbox, the envelope recipient is the reply's From and the
// tracking mailbox.
func TestReplyWithoutMailbox(t *testing.T) {
	rec := &recordingTracker{}
	pol := policy(winterAbsence())
	pol.Mailbox = nil
	p := compile(t, pol, Options{Tracker: rec})
	r := eval(p, inAbsence(simpleMsg(t, drMartin, "x")))
	require.NotNil(t, r.Reply, "%s", r)
	require.Equal(t, mailbox, r.Reply.From)
	require.Equal(t, mailbox, rec.claims[0].key.Mailbox)
}
