package notice

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/mssante"
)

var update = flag.Bool("update", false, "rewrite the golden notices")

// TestBuildGolden pins the exact bytes of two notices: a policy text and
// the default one. Run with -update to rewrite them, then review the diff.
func TestBuildGolden(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	date := time.Date(2026, 12, 5, 9, 30, 0, 0, paris)
	to, err := ParseRecipient("dr.martin.perso@gmail.com", "dr.martin@medecin.mssante.fr")
	require.NoError(t, err)
	custom, err := ParseText("Bonjour,\nUn message sécurisé vous attend dans votre messagerie MSSanté.\n")
	require.NoError(t, err)
	for name, text := range map[string]Text{"custom.eml": custom, "default.eml": Default()} {
		n, err := Build(to, text, "dr.martin@medecin.mssante.fr", date)
		require.NoError(t, err)
		got := n.Bytes()
		path := filepath.Join("testdata", name)
		if *update {
			require.NoError(t, os.WriteFile(path, got, 0o644))
		}
		want, err := os.ReadFile(path)
		require.NoError(t, err)
		require.Equal(t, string(want), string(got), "%s differs (run with -update to accept)", path)

		m, err := message.Parse(got, message.Options{})
		require.NoError(t, err)
		require.Empty(t, m.Problems())
		require.Equal(t, []string{Subject}, m.Header("Subject"))
		require.Equal(t, []string{"auto-notified"}, m.Header("Auto-Submitted"))
		require.Equal(t, strings.TrimSpace(text.String()), strings.TrimSpace(strings.ReplaceAll(strings.Join(m.BodyText(), "\n"), "\r\n", "\n")))
		for _, line := range strings.Split(string(got), "\r\n") {
			require.LessOrEqual(t, len(line), 78, "line %q", line)
			require.NotContains(t, line, "\n")
		}
		require.Equal(t, "", n.EnvelopeFrom())
		require.Equal(t, "dr.martin.perso@gmail.com", n.To())
	}
}

func TestParseRecipient(t *testing.T) {
	for s, code := range map[string]string{
		"a@gmail.com":                        "",
		"A.Martin@Orange.FR":                 "",
		"x@medecin.mssante.fr":               "",
		"":                                   "invalid-address",
		"a@gmail.com, b@gmail.com":           "invalid-address",
		"\"Dr\" <a@gmail.com>":               "invalid-address",
		"a@gmail.com\r\nBcc: c@evil.example": "invalid-address",
		"248000000000057@patient.mssante.fr": "patient-target",
		"Dr.Martin+avis@medecin.mssante.fr":  "self-target",
	} {
		r, err := ParseRecipient(s, "dr.martin@medecin.mssante.fr")
		if code == "" {
			require.NoError(t, err, s)
			require.False(t, r.IsZero())
			continue
		}
		require.Error(t, err, s)
		require.Contains(t, err.Error(), "notice recipient")
		require.True(t, r.IsZero())
		var ref *mssante.Refusal
		require.ErrorAs(t, err, &ref, s)
		require.Equal(t, code, ref.Code, s)
	}
}

func TestParseText(t *testing.T) {
	for s, code := range map[string]string{
		"Un message vous attend.":         "",
		"Ligne 1\r\nLigne 2\n\tfin":       "",
		"Prix : 5 $ {pas une variable}":   "",
		"Objet : ${subject}":              CodeMessageData,
		"De ${from}":                      CodeMessageData,
		"${header.subject}":               CodeMessageData,
		"${":                              CodeMessageData,
		"   \n ":                          CodeInvalidText,
		"a\x00b":                          CodeInvalidText,
		"a\rb":                            CodeInvalidText,
		"\xff":                            CodeInvalidText,
		strings.Repeat("a", MaxTextLen+1): CodeInvalidText,
	} {
		_, err := ParseText(s)
		if code == "" {
			require.NoError(t, err, "%q", s)
			continue
		}
		var te *TextError
		require.ErrorAs(t, err, &te, "%q", s)
		require.Equal(t, code, te.Code, "%q", s)
		require.LessOrEqual(t, te.Offset+te.Length, len(s))
	}
}

// FuzzParseText checks that an accepted text holds no placeholder and no
// control character, and that its notice decodes back to it.
func FuzzParseText(f *testing.F) {
	f.Add("Un message vous attend.")
	f.Add("${subject}")
	f.Add("a\r\nb\n")
	to, err := ParseRecipient("a@gmail.com")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		text, err := ParseText(s)
		if err != nil {
			var te *TextError
			require.ErrorAs(t, err, &te)
			require.LessOrEqual(t, te.Offset+te.Length, len(s))
			return
		}
		require.NotContains(t, s, "${")
		n, err := Build(to, text, "dr.x@medecin.mssante.fr", time.Unix(0, 0))
		require.NoError(t, err)
		m, err := message.Parse(n.Bytes(), message.Options{})
		require.NoError(t, err)
		require.Empty(t, m.Problems())
		require.Equal(t, []string{"a@gmail.com"}, m.Header("To"))
	})
}
