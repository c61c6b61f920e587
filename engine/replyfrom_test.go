package engine

import (
	"bytes"
	"context"
	"net/mail"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/rules"
)

// TestReplyFromDisplayName checks reply-from values with a display name, as
// Roundcube writes vacation :from: the address part is checked like any
// reply-from, the name goes into the reply's From, and what cannot go into
// a header is refused at compile time.
func TestReplyFromDisplayName(t *testing.T) {
	withFrom := func(from string) *rules.Policy {
		v := winterAbsence()
		l := lit(from)
		v.Reply.From = &l
		return policy(v)
	}
	t.Run("accepted", func(t *testing.T) {
		for from, name := range map[string]string{
			"Dr Anne Lilas <a.martin@medecin.mssante.fr>":                  "Dr Anne Lilas",
			`"Lilas, Anne (cabinet@Nantes)" <a.martin@medecin.mssante.fr>`: "Lilas, Anne (cabinet@Nantes)",
			`Dr "Nanou" Lilas <a.martin@medecin.mssante.fr>`:               "Dr Nanou Lilas",
			"Dr Hélène Lefèvre <a.martin@medecin.mssante.fr>":              "Dr Hélène Lefèvre",
		} {
			p := compile(t, withFrom(from), Options{Tracker: &recordingTracker{}})
			r := eval(p, inAbsence(simpleMsg(t, drMartin, "Résultats")))
			require.NotNil(t, r.Reply, "%s: %s", from, r)
			require.Equal(t, "a.martin@medecin.mssante.fr", r.Reply.From, from)
			m, err := mail.ReadMessage(bytes.NewReader(r.Reply.Bytes))
			require.NoError(t, err)
			field := m.Header.Get("From")
			require.True(t, isASCII(field), "the From field is ASCII (RFC 2047): %q", field)
			a, err := mail.ParseAddress(field)
			require.NoError(t, err, field)
			require.Equal(t, name, a.Name, field)
			require.Equal(t, "a.martin@medecin.mssante.fr", a.Address, field)
		}
	})
	t.Run("refused", func(t *testing.T) {
		for from, want := range map[string]string{
			"Dr Lilas\r\nBcc: x@y.fr <a.martin@medecin.mssante.fr>": "line break",
			"Dr Lilas <a.martin@gmail.com>":                         `reply-from address "a.martin@gmail.com" is outside the MSSanté trust space`,
			"Dr Lilas <a martin@medecin.mssante.fr>":                `reply-from address "a martin@medecin.mssante.fr" is not a valid address`,
			"Dr Lilas a.martin@medecin.mssante.fr>":                 "'>' without '<'",
		} {
			_, diags := Compile(context.Background(), withFrom(from), Options{Trust: trust(t)})
			require.True(t, diags.HasErrors(), from)
			require.Contains(t, diags.Error(), want, from)
			require.Contains(t, []rules.Code{rules.CodeInvalidAddress, "outside-trust-space"}, diags[0].Code, from)
		}
	})
}
