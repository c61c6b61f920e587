package serve

import (
	"strings"
	"testing"
	"time"
)

const policyNotice = `
rule "Avis" {
    notify "dr.martin.perso@gmail.com" saying "Un message sécurisé vous attend." at most once per hour
}
`

// TestArrivalNotice delivers two messages whose subjects and bodies hold
// markers: the relay receives one notice (the second is within the hour),
// sent with MAIL FROM:<> to the outside address, Auto-Submitted:
// auto-notified, and nothing of the messages.
func TestArrivalNotice(t *testing.T) {
	e := start(t, map[string]string{martin: policyNotice})
	for i := range 2 {
		if a := e.send(t, girard, []string{martin}, mail("MARKERSUBJECT"+string(rune('a'+i)), "MARKERBODY\r\n"))[martin]; a != nil {
			t.Fatalf("message %d: %v", i, a)
		}
	}
	got := e.sink.Wait(2, time.Second)
	if len(got) != 1 {
		t.Fatalf("relay got %d messages; want one notice for two messages within the hour", len(got))
	}
	n := got[0]
	if n.From != "" || len(n.To) != 1 || n.To[0] != "dr.martin.perso@gmail.com" || !strings.Contains(n.Data, "\r\nAuto-Submitted: auto-notified\r\n") {
		t.Fatalf("notice %+v; want MAIL FROM:<> to dr.martin.perso@gmail.com with Auto-Submitted: auto-notified", n)
	}
	for _, marker := range []string{"MARKER", "girard", "Girard", "chu-nantes"} {
		if strings.Contains(n.Data, marker) {
			t.Errorf("the notice holds %q:\n%s", marker, n.Data)
		}
	}
	if k := len(e.maildirFiles(t, "dr.martin", "medecin.mssante.fr", "new")); k != 2 {
		t.Fatalf("inbox holds %d; want both messages", k)
	}
}
