package oracle

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestParseNotify reads a report of sieve-test 0.5 (Debian dovecot-sieve)
// with three notifications, as captured from notify "mailto:…" with and
// without :message and with a mailto URI carrying a subject and a body.
func TestParseNotify(t *testing.T) {
	const report = `
Performed actions:

 * send notification with method 'mailto:':
    => importance   : 2
    => recipients   :
       + To: dr.martin.perso@gmail.com

 * send notification with method 'mailto:':
    => importance   : 2
    => subject      : Un message vous attend.
    => recipients   :
       + To: b@gmail.com

 * send notification with method 'mailto:':
    => importance   : 2
    => subject      : Avis
    => from         : dr.martin@medecin.mssante.fr
    => recipients   :
       + To: c@gmail.com
    => body         : 
--
Nouveau message
--


Implicit keep:

 * store message in folder: INBOX
`
	o, err := ParseReport(report)
	require.NoError(t, err)
	require.True(t, o.ImplicitKeep)
	require.Equal(t, []Action{
		{Kind: KindNotify, Target: "dr.martin.perso@gmail.com"},
		{Kind: KindNotify, Target: "b@gmail.com", Reason: "Un message vous attend."},
		{Kind: KindNotify, Target: "c@gmail.com", Reason: "Avis"},
	}, o.Actions)
}
