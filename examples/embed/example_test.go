package embed_test

import (
	"context"
	"fmt"
	"log"
	"strings"
	"sync"
	"time"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/engine/vacation"
	"github.com/tamis-mss/tamis/mssante"
	"github.com/tamis-mss/tamis/parser"
)

// The policy of one mailbox, as an administrator wrote it. An operator
// reads it from its configuration store.
const policy = `
mailbox "cabinet.lilas@esantepdl.mssante.fr"

vacation "Congés d'hiver" {
    from 2025-12-20 18:00 until 2026-01-05 08:00
    subject "Absence du cabinet"
    reply "Le cabinet est fermé jusqu'au 5 janvier. En cas d'urgence, appelez le 15."
    copy to "remplacant.lilas@medecin.mssante.fr"
}

rule "Biologie" {
    when from domain is "biogroup.mssante.fr"
    file into "INBOX/Biologie"
}
`

// incoming is a message arriving over LMTP: envelope and raw bytes.
type incoming struct {
	from, to string
	raw      string
}

var deliveries = []incoming{
	{"paul.girard@chu-nantes.mssante.fr", "cabinet.lilas@esantepdl.mssante.fr",
		"From: \"Dr Paul Girard\" <paul.girard@chu-nantes.mssante.fr>\r\n" +
			"To: cabinet.lilas@esantepdl.mssante.fr\r\n" +
			"Subject: =?UTF-8?Q?R=C3=A9sultats_d=E2=80=99IRM?=\r\n" +
			"Message-ID: <irm-1@chu-nantes.mssante.fr>\r\n\r\nBonjour.\r\n"},
	{"resultats@biogroup.mssante.fr", "cabinet.lilas@esantepdl.mssante.fr",
		"From: resultats@biogroup.mssante.fr\r\n" +
			"To: cabinet.lilas@esantepdl.mssante.fr\r\n" +
			"Subject: =?UTF-8?Q?R=C3=A9sultats_d=E2=80=99analyses?=\r\n" +
			"Message-ID: <bio-2@biogroup.mssante.fr>\r\n\r\nCompte rendu joint.\r\n"},
	{"", "cabinet.lilas@esantepdl.mssante.fr", // a bounce: null envelope sender
		"From: MAILER-DAEMON@esantepdl.mssante.fr\r\n" +
			"To: cabinet.lilas@esantepdl.mssante.fr\r\n" +
			"Subject: Undelivered Mail Returned to Sender\r\n" +
			"Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n" +
			"--b\r\nContent-Type: text/plain\r\n\r\nUser unknown.\r\n--b--\r\n"},
}

// host is what the operator's delivery agent does with a decision. Here it
// prints; a real one writes to the store and queues mail.
type host struct{ log []string }

func (h *host) execute(id string, res engine.Result) {
	for _, a := range res.Actions {
		switch a.Kind {
		case engine.ActionCopy, engine.ActionReroute:
			// a.Target is an mssante.Target: only the trust check builds
			// one, so this relay can only reach the trust space.
			h.printf("%s: relay %s to %s", id, a.Kind, a.Target)
		case engine.ActionFileInto:
			h.printf("%s: store in %q", id, a.Folder)
		case engine.ActionKeep:
			h.printf("%s: store in INBOX", id)
		case engine.ActionReply:
			r := res.Reply
			h.printf("%s: send reply MAIL FROM:<> RCPT TO:<%s> subject %q (%s)", id, r.To, r.Subject,
				headerOf(r.Bytes, "Auto-Submitted"))
		default:
			h.printf("%s: %s", id, a)
		}
	}
	if res.ImplicitKeep {
		h.printf("%s: store in INBOX (implicit keep)", id)
	}
	if s := res.Suppressed; s != nil {
		h.printf("%s: no reply (%s)", id, s.Code)
	}
	for _, r := range res.Refused {
		h.printf("%s: refused %s to %s: %s", id, r.Kind, r.Target, r.Code)
	}
	for _, err := range res.Errors {
		h.printf("%s: kept because of an error: %v", id, err)
	}
}

func (h *host) printf(format string, args ...any) {
	h.log = append(h.log, fmt.Sprintf(format, args...))
}

func headerOf(raw []byte, name string) string {
	for _, line := range strings.Split(string(raw), "\r\n") {
		if v, ok := strings.CutPrefix(line, name+": "); ok {
			return name + ": " + v
		}
	}
	return ""
}

// Example compiles a mailbox policy once and evaluates it for several
// messages delivered at the same time, then executes the decisions.
func Example() {
	// At start-up, and again whenever the policy or the trust list changes.
	// A real operator loads the published list, checked against its
	// checksum: mssante.LoadList(path, checksum), then trust.Replace(list)
	// on each daily refresh. nil means the built-in fallback.
	trust := mssante.NewTrustSpace(nil)
	p, diags := parser.Parse("cabinet.rules", []byte(policy), parser.DefaultOptions())
	if diags.HasErrors() {
		log.Fatal(diags)
	}
	opts := engine.DefaultOptions()
	opts.Trust = trust
	// Reply history belongs to the host, not to a Program: one tracker for
	// every policy and every recompilation (persistent in production).
	opts.Tracker = vacation.NewMemoryTracker(vacation.DefaultMaxPerMailbox)
	prog, diags := engine.Compile(context.Background(), p, opts)
	if diags.HasErrors() {
		log.Fatal(diags)
	}

	// Per message, from as many goroutines as the server has connections:
	// the Program is immutable and safe for concurrent use.
	now := time.Date(2025, 12, 24, 10, 0, 0, 0, time.UTC)
	results := make([]engine.Result, len(deliveries))
	var wg sync.WaitGroup
	for i, d := range deliveries {
		wg.Go(func() {
			msg, err := message.Parse([]byte(d.raw), message.DefaultOptions())
			if err != nil {
				// Unreadable input: the host keeps the message; nothing is lost.
				log.Print(err)
				return
			}
			results[i] = prog.Evaluate(context.Background(), engine.Delivery{
				Message: msg, EnvelopeFrom: d.from, EnvelopeTo: d.to, Time: now,
			})
		})
	}
	wg.Wait()

	h := &host{}
	for i, res := range results {
		h.execute(fmt.Sprintf("message %d", i+1), res)
	}
	fmt.Println(strings.Join(h.log, "\n"))
	// Output:
	// message 1: send reply MAIL FROM:<> RCPT TO:<paul.girard@chu-nantes.mssante.fr> subject "Absence du cabinet" (Auto-Submitted: auto-replied)
	// message 1: relay copy to remplacant.lilas@medecin.mssante.fr
	// message 1: store in INBOX (implicit keep)
	// message 2: send reply MAIL FROM:<> RCPT TO:<resultats@biogroup.mssante.fr> subject "Absence du cabinet" (Auto-Submitted: auto-replied)
	// message 2: relay copy to remplacant.lilas@medecin.mssante.fr
	// message 2: store in "INBOX/Biologie"
	// message 3: relay copy to remplacant.lilas@medecin.mssante.fr
	// message 3: store in INBOX (implicit keep)
	// message 3: no reply (null-sender)
}

// Example_explain previews a message, as an administration screen would:
// a dry run (no reply slot used) that explains every decision, with the
// values the conditions compared, and why the other rules did nothing.
func Example_explain() {
	p, diags := parser.Parse("cabinet.rules", []byte(policy), parser.DefaultOptions())
	if diags.HasErrors() {
		log.Fatal(diags)
	}
	opts := engine.DefaultOptions()
	opts.Trust = mssante.NewTrustSpace(nil)
	prog, diags := engine.Compile(context.Background(), p, opts)
	if diags.HasErrors() {
		log.Fatal(diags)
	}
	d := deliveries[0]
	msg, err := message.Parse([]byte(d.raw), message.DefaultOptions())
	if err != nil {
		log.Fatal(err)
	}
	res := prog.Evaluate(context.Background(), engine.Delivery{
		Message: msg, EnvelopeFrom: d.from, EnvelopeTo: d.to,
		Time: time.Date(2025, 12, 24, 10, 0, 0, 0, time.UTC), DryRun: true, Explain: true,
	})
	for _, a := range res.Actions {
		fmt.Printf("%s, because:\n", a)
		for _, e := range a.Because {
			fmt.Printf("    %s\n", e)
		}
	}
	for _, e := range res.Explanations {
		if e.Outcome != engine.OutcomeApplied {
			fmt.Println(e)
		}
	}
	// Output:
	// reply, because:
	//     from 2025-12-20 18:00 until 2026-01-05 08:00: true (seen "Wed 2025-12-24 11:00 CET")
	// copy to "remplacant.lilas@medecin.mssante.fr", because:
	//     from 2025-12-20 18:00 until 2026-01-05 08:00: true (seen "Wed 2025-12-24 11:00 CET")
	// rule "Biologie" at cabinet.rules:11:1: not-applied: from domain is "biogroup.mssante.fr": false (seen "chu-nantes.mssante.fr")
}
