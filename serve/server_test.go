package serve

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

const (
	martin = "dr.martin@medecin.mssante.fr"
	girard = "paul.girard@chu-nantes.mssante.fr"
	secret = "secretariat@esantepdl.mssante.fr"
)

func mail(subject, body string) string {
	return "From: Dr Paul Girard <" + girard + ">\r\nTo: " + martin + "\r\nSubject: " + subject +
		"\r\nMessage-ID: <" + strings.ReplaceAll(subject, " ", "-") + "@chu-nantes.mssante.fr>\r\nDate: Mon, 5 Jan 2026 09:00:00 +0100\r\n\r\n" + body
}

func TestKeepWithoutPolicy(t *testing.T) {
	e := start(t, nil)
	got := e.send(t, girard, []string{martin, "Other+Detail@Medecin.mssante.fr"}, mail("bonjour", "Bonjour.\r\n.\r\n..\r\n"))
	for r, a := range got {
		if a != nil {
			t.Fatalf("%s answered %v; want 250", r, a)
		}
	}
	files := e.maildirFiles(t, "dr.martin", "medecin.mssante.fr", "new")
	if len(files) != 1 {
		t.Fatalf("inbox holds %v; want one message", files)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(data), "\n\nBonjour.\n.\n..\n") {
		t.Fatalf("stored message ends %q; want the body with dots intact and LF line ends", data[max(0, len(data)-40):])
	}
	if n := len(e.maildirFiles(t, "other", "medecin.mssante.fr", "new")); n != 1 {
		t.Fatalf("the +detail recipient's mailbox holds %d messages; want 1 (detail stripped)", n)
	}
	if m := e.metric(t, `tamis_deliveries_total{outcome="delivered"}`); !strings.HasSuffix(m, " 2") {
		t.Fatalf("metric %q; want 2 delivered", m)
	}
}

const policyMartin = `
rule "Laboratoire" {
    when subject contains "labo"
    flag "\\Flagged"
    file into "Biologie/Résultats"
}
rule "Secrétariat" {
    when subject contains "ordonnance"
    copy to "` + secret + `"
}
rule "Spam" {
    when subject contains "promo"
    discard
}
rule "Refus" {
    when subject contains "refus"
    reject "Boîte fermée, écrivez au secrétariat"
}
`

func TestPolicyActions(t *testing.T) {
	e := start(t, map[string]string{martin: policyMartin})

	if a := e.send(t, girard, []string{martin}, mail("labo 12", "x\r\n"))[martin]; a != nil {
		t.Fatalf("labo: %v", a)
	}
	files := e.maildirFiles(t, "dr.martin", "medecin.mssante.fr", ".Biologie.R&AOk-sultats/cur")
	if len(files) != 1 || !strings.HasSuffix(files[0], ":2,F") {
		t.Fatalf("Biologie/Résultats holds %v; want one message flagged F", files)
	}
	if n := len(e.maildirFiles(t, "dr.martin", "medecin.mssante.fr", "new")); n != 0 {
		t.Fatalf("the inbox holds %d messages after a file into; want 0", n)
	}

	if a := e.send(t, girard, []string{martin}, mail("ordonnance", "y\r\n"))[martin]; a != nil {
		t.Fatalf("ordonnance: %v", a)
	}
	got := e.sink.Wait(1, 5*time.Second)
	if len(got) != 1 || got[0].From != girard || got[0].To[0] != secret || !strings.Contains(got[0].Data, "Subject: ordonnance") {
		t.Fatalf("relay got %+v; want the copy to %s from %s", got, secret, girard)
	}
	if n := len(e.maildirFiles(t, "dr.martin", "medecin.mssante.fr", "new")); n != 1 {
		t.Fatalf("the inbox holds %d messages after a copy; want 1 (a copy keeps)", n)
	}

	if a := e.send(t, girard, []string{martin}, mail("promo", "z\r\n"))[martin]; a != nil {
		t.Fatalf("promo: %v", a)
	}
	if n := len(e.maildirFiles(t, "dr.martin", "medecin.mssante.fr", "new")); n != 1 {
		t.Fatalf("a discarded message was stored")
	}

	a := e.send(t, girard, []string{martin}, mail("refus", "z\r\n"))[martin]
	if a == nil || a.Code != 550 || !strings.Contains(a.Message, "Boite fermee, ecrivez au secretariat") {
		t.Fatalf("reject answered %v; want 550 with the reason in ASCII", a)
	}
	if m := e.metric(t, `tamis_actions_total{kind="fileinto"}`); !strings.HasSuffix(m, " 1") {
		t.Errorf("metric %q", m)
	}
	if m := e.metric(t, `tamis_deliveries_total{outcome="rejected"}`); !strings.HasSuffix(m, " 1") {
		t.Errorf("metric %q", m)
	}
}

const policyAbsence = `
vacation "Congés" {
    from 2020-01-01 until 2099-01-01
    subject "Absent"
    reply """
        Bonjour,
        .
        Je suis absent.
        """
    every 7 days
}
`

func TestAbsenceReply(t *testing.T) {
	e := start(t, map[string]string{martin: policyAbsence})
	for i := range 2 {
		if a := e.send(t, girard, []string{martin}, mail("question "+string(rune('a'+i)), "?\r\n"))[martin]; a != nil {
			t.Fatalf("message %d: %v", i, a)
		}
	}
	got := e.sink.Wait(2, time.Second)
	if len(got) != 1 {
		t.Fatalf("relay got %d messages; want one reply for two messages from the same sender", len(got))
	}
	r := got[0]
	if r.From != "" || r.To[0] != girard || !strings.Contains(r.Data, "Auto-Submitted: auto-replied") || !strings.Contains(r.Data, "\r\n.\r\n") {
		t.Fatalf("reply %+v; want MAIL FROM:<> to %s, Auto-Submitted, and the lone dot line intact", r, girard)
	}
	if n := len(e.maildirFiles(t, "dr.martin", "medecin.mssante.fr", "new")); n != 2 {
		t.Fatalf("inbox holds %d; want both messages", n)
	}
	if m := e.metric(t, `tamis_replies_total{outcome="suppressed",reason="already-replied"}`); !strings.HasSuffix(m, " 1") {
		t.Errorf("metric %q; want one suppressed reply", m)
	}
}

func TestRelayDownDefersThenDelivers(t *testing.T) {
	e := start(t, map[string]string{martin: policyMartin})
	e.sink.Fail(&smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "down"})
	a := e.send(t, girard, []string{martin}, mail("ordonnance", "y\r\n"))[martin]
	if a == nil || a.Code/100 != 4 {
		t.Fatalf("relay down: answered %v; want 4xx", a)
	}
	if n := len(e.maildirFiles(t, "dr.martin", "medecin.mssante.fr", "new")); n != 0 {
		t.Fatalf("a deferred message was stored (%d): the retry would duplicate it", n)
	}
	e.sink.Fail(nil)
	if a := e.send(t, girard, []string{martin}, mail("ordonnance", "y\r\n"))[martin]; a != nil {
		t.Fatalf("retry: %v", a)
	}
	if n := len(e.maildirFiles(t, "dr.martin", "medecin.mssante.fr", "new")); n != 1 || len(e.sink.Messages()) != 1 {
		t.Fatalf("after the retry: %d stored, %d relayed; want 1 and 1", n, len(e.sink.Messages()))
	}
	if m := e.metric(t, `tamis_deliveries_total{outcome="deferred"}`); !strings.HasSuffix(m, " 1") {
		t.Errorf("metric %q", m)
	}
}

func TestMaildirBrokenDefers(t *testing.T) {
	e := start(t, nil)
	// A file where the domain's directory should be: nothing can be created.
	if err := os.MkdirAll(e.dir+"/mail", 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.dir+"/mail/medecin.mssante.fr", nil, 0o600); err != nil {
		t.Fatal(err)
	}
	a := e.send(t, girard, []string{martin}, mail("x", "y\r\n"))[martin]
	if a == nil || a.Code != 451 {
		t.Fatalf("broken Maildir: answered %v; want 451", a)
	}
	if m := e.metric(t, `tamis_errors_total{part="maildir"}`); !strings.HasSuffix(m, " 1") {
		t.Errorf("metric %q", m)
	}
}

func TestStoreUnreadableDefers(t *testing.T) {
	e := start(t, nil)
	// The mailbox's directory in the store is a file: Sources fails.
	if err := os.MkdirAll(e.store.Root()+"/mailboxes", 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.store.Root()+"/mailboxes/"+martin, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	a := e.send(t, girard, []string{martin}, mail("x", "y\r\n"))[martin]
	if a == nil || a.Code/100 != 4 {
		t.Fatalf("unreadable store: answered %v; want 4xx", a)
	}
	if m := e.metric(t, `tamis_errors_total{part="store"}`); !strings.HasSuffix(m, " 1") {
		t.Errorf("metric %q", m)
	}
}

func TestPolicyChangeAndBrokenPolicy(t *testing.T) {
	e := start(t, map[string]string{martin: policyMartin})
	if a := e.send(t, girard, []string{martin}, mail("labo 1", "x\r\n"))[martin]; a != nil {
		t.Fatal(a)
	}
	// A broken change: the last good policy stays.
	put := func(text string) {
		if err := e.store.PutLayer(t.Context(), martin, "before", "10-test.rules", []byte(text)); err != nil {
			t.Fatal(err)
		}
	}
	changes := func() int { return strings.Count(e.logs.String(), "policy store change") }
	n := changes()
	put("rule \"x\" { when subject contains \"labo\" file into }\n")
	waitFor(t, func() bool { return changes() > n })
	if !e.sendsInto(t, "labo 2") {
		t.Fatal("after a broken change, the message did not follow the last good policy")
	}
	if !strings.Contains(e.logs.String(), "the last good one stays") {
		t.Fatal("the broken change was not reported in the log")
	}
	if m := e.metric(t, `tamis_policy_compiles_total{outcome="error"}`); !strings.HasSuffix(m, " 1") {
		t.Errorf("metric %q; want one failed compile", m)
	}
	// A good change: applied.
	n = changes()
	put("rule \"y\" { when subject contains \"labo\"\n file into \"Autre\" }\n")
	waitFor(t, func() bool { return changes() > n })
	if !e.sendsInto(t, "labo 3", ".Autre/new") {
		t.Fatal("the good change was not applied")
	}
}

// sendsInto delivers a "labo" message and reports whether it reached sub
// (default the Biologie folder).
func (e *env) sendsInto(t *testing.T, subject string, sub ...string) bool {
	t.Helper()
	where := ".Biologie.R&AOk-sultats/cur"
	if len(sub) > 0 {
		where = sub[0]
	}
	before := len(e.maildirFiles(t, "dr.martin", "medecin.mssante.fr", where))
	if a := e.send(t, girard, []string{martin}, mail(subject, "x\r\n"))[martin]; a != nil {
		t.Fatal(a)
	}
	return len(e.maildirFiles(t, "dr.martin", "medecin.mssante.fr", where)) > before
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestBadRecipientAndHealth(t *testing.T) {
	e := start(t, nil)
	got := e.send(t, girard, []string{"../etc@x", martin}, mail("x", "y\r\n"))
	if a := got["../etc@x"]; a == nil || a.Code != 550 {
		t.Fatalf("path-escaping recipient answered %v; want 550", a)
	}
	if got[martin] != nil {
		t.Fatalf("good recipient: %v", got[martin])
	}
	body, err := httpGet("http://" + e.srv.MetricsAddr().String() + "/healthz")
	if err != nil || !strings.HasPrefix(body, "ok\n") {
		t.Fatalf("healthz = %q, %v", body, err)
	}
}
