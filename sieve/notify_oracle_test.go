package sieve

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/engine/vacation"
	"github.com/tamis-mss/tamis/internal/oracle"
	"github.com/tamis-mss/tamis/parser"
	"github.com/tamis-mss/tamis/rules"
)

// notifyMessage holds unique markers in its sender, subject and body.
const notifyMessage = "From: \"Dr MARKERNAME\" <markerfrom@chu-nantes.mssante.fr>\r\n" +
	"To: dr.martin@medecin.mssante.fr\r\n" +
	"Subject: Resultats MARKERSUBJECT\r\n" +
	"Message-ID: <markerid@chu-nantes.mssante.fr>\r\n" +
	"Date: Mon, 6 Jan 2025 10:00:00 +0100\r\n\r\n" +
	"MARKERBODY\r\n"

var notifyMarkers = []string{"MARKERNAME", "markerfrom", "MARKERSUBJECT", "markerid", "MARKERBODY"}

// TestOracleNotify runs Roundcube's notify action, and the export of a
// tamis notice, through Pigeonhole (sieve-test -execute, which prints the
// notifications it sends) and through tamis (Import, engine), and checks
// that they agree on who is notified, on Auto-Submitted: auto-notified and
// on the :message text; and states the deliberate differences: Pigeonhole
// puts the :message in the Subject and, without one, writes
// "Notification: <the message's subject>"; tamis's subject is fixed, the
// text is the body, and nothing of the message is in the notice.
func TestOracleNotify(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Pigeonhole: not in -short")
	}
	oracle.RequireAvailable(t)
	exported, diags := Export(mustParse(t, `mailbox "dr.martin@medecin.mssante.fr"
rule "Avis" {
    notify "dr.martin.perso@gmail.com" saying "Un message vous attend." at most once per hour
    notify "secretariat@orange.fr"
}
`))
	require.False(t, diags.HasErrors(), diags.Error())
	for _, tc := range []struct {
		name, script string
		text         map[string]string // recipient → :message ("" none)
	}{
		{"roundcube", "require [\"enotify\"];\r\n# rule:[Avis]\r\nif true\r\n{\r\n\tnotify :importance \"2\" :message \"Un message vous attend.\" \"mailto:dr.martin.perso@gmail.com\";\r\n}\r\n",
			map[string]string{"dr.martin.perso@gmail.com": "Un message vous attend."}},
		{"roundcube without message", "require [\"enotify\"];\r\n# rule:[Avis]\r\nif true\r\n{\r\n\tnotify \"mailto:dr.martin.perso@gmail.com\";\r\n}\r\n",
			map[string]string{"dr.martin.perso@gmail.com": ""}},
		{"tamis export", string(exported),
			map[string]string{"dr.martin.perso@gmail.com": "Un message vous attend.", "secretariat@orange.fr": ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := runOracle(t, oracle.Request{Script: []byte(tc.script), Message: []byte(notifyMessage),
				From: "markerfrom@chu-nantes.mssante.fr", Rcpt: "dr.martin@medecin.mssante.fr", Execute: true})
			require.Equal(t, 0, o.ExitCode, o.Stderr)
			require.True(t, o.ImplicitKeep)
			var pigeonhole []string
			for _, n := range o.Notices {
				pigeonhole = append(pigeonhole, n.To)
				require.Contains(t, n.Raw, "\nAuto-Submitted: auto-notified")
				text := tc.text[n.To]
				if text != "" {
					require.Equal(t, text, n.Subject, "Pigeonhole puts :message in the Subject")
				} else {
					require.Contains(t, n.Subject, "MARKERSUBJECT", "Pigeonhole copies the message's subject: tamis deliberately does not")
				}
			}

			p, diags := Import("notify.sieve", []byte(tc.script))
			require.False(t, diags.HasErrors(), diags.Error())
			prog, cdiags := engine.Compile(context.Background(), p, engine.Options{Trust: loadTrust(t), Mailbox: "dr.martin@medecin.mssante.fr", Tracker: vacation.NewMemoryTracker(100)})
			require.False(t, cdiags.HasErrors(), cdiags.Error())
			m, err := message.Parse([]byte(notifyMessage), message.Options{})
			require.NoError(t, err)
			res := prog.Evaluate(context.Background(), engine.Delivery{Message: m, EnvelopeFrom: "markerfrom@chu-nantes.mssante.fr",
				EnvelopeTo: "dr.martin@medecin.mssante.fr", Time: time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)})
			require.Empty(t, res.Errors)
			require.True(t, res.ImplicitKeep)
			var tamis []string
			for _, n := range res.Notices {
				tamis = append(tamis, n.To())
				raw := string(n.Bytes())
				require.Contains(t, raw, "\r\nAuto-Submitted: auto-notified\r\n")
				for _, mk := range notifyMarkers {
					require.NotContains(t, strings.ToLower(raw), strings.ToLower(mk))
				}
				dm, err := message.Parse(n.Bytes(), message.Options{})
				require.NoError(t, err)
				if text := tc.text[n.To()]; text != "" {
					require.Equal(t, text, strings.TrimSpace(strings.Join(dm.BodyText(), "\n")))
				}
			}
			slices.Sort(pigeonhole)
			slices.Sort(tamis)
			require.Equal(t, pigeonhole, tamis, "Pigeonhole and tamis notify the same addresses")
			require.Len(t, tamis, len(tc.text))
		})
	}
}

func mustParse(t *testing.T, src string) *rules.Policy {
	t.Helper()
	p, diags := parser.Parse("notify.rules", []byte(src), parser.DefaultOptions())
	require.False(t, diags.HasErrors(), diags.Error())
	return p
}
