package message

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/tamis-mss/tamis/internal/oracle"
)

func TestHTMLText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"inline tag is a space", "urgence <b>vitale</b>", "urgence vitale "},
		{"tag between words", "urgence<b>vitale</b>", "urgence vitale "},
		{"blocks", "<p>urgence</p><p>vitale</p>", "urgence vitale "},
		{"no space after a line break", "<p>urgence</p>\n<p>vitale</p>", "urgence \nvitale "},
		{"line break tag", "urgence<br>vitale<br/>", "urgence vitale "},
		{"white space kept", "urgence   vitale\n\tfin", "urgence   vitale\n\tfin"},
		{"no leading space", "<html><body>a</body></html>", "a "},
		{"named and numeric references", "&eacute;&#233;&#xE9;&amp;&lt;&gt;&quot;&apos;", "ééé&<>\"'"},
		{"nbsp is not a space", "urgence&nbsp;vitale", "urgence\u00a0vitale"},
		{"script and style dropped", "a<script>urgence</script>b<style>vitale</style>c", "a b c"},
		{"script holding markup", `a<script>x = "<b>urgence</b>";</script>b`, "a b"},
		{"comment dropped without a space", "a<!-- urgence -->b", "ab"},
		{"cdata kept", "a<![CDATA[urgence]]>b", "aurgenceb"},
		{"attributes are not text", `<img alt="urgence vitale" title='a>b'>x`, "x"},
		{"title kept", "<title>Compte &amp; rendu</title>", "Compte & rendu "},
		{"noscript read as markup", "<noscript><b>urgence</b></noscript>", "urgence "},
		{"nested raw text bounded", "<xmp><xmp><xmp><b>x</b></xmp>", "<b>x</b> "},
		{"unterminated tag", "a <b", "a "},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, htmlText(tt.in))
		})
	}
}

func TestHTMLBodyWithinBudget(t *testing.T) {
	html := strings.Repeat("<p>&eacute;t&eacute;</p>", 1000)
	raw := "Content-Type: text/html; charset=utf-8\n\n" + html + "\n"
	m, err := Parse([]byte(raw), Options{MaxBodyBytes: 100})
	require.NoError(t, err)
	require.Len(t, m.BodyText(), 1)
	require.LessOrEqual(t, len(m.BodyText()[0]), 100)
	require.True(t, strings.HasPrefix(m.BodyText()[0], "été été "), m.BodyText()[0])
	require.Len(t, m.Problems(), 1)
	require.Equal(t, KindBodyTooLarge, m.Problems()[0].(*Problem).Kind)
}

// htmlOracleCases are messages with HTML bodies and phrases to look for in
// them: for each phrase, body :text :contains in Pigeonhole and a substring
// search over BodyText must agree.
var htmlOracleCases = []struct {
	name, message string
	phrases       []string
}{
	{"html only", htmlMessage("text/html", "<html><body><p>Mme Durand : urgence <b>vitale</b></p></body></html>"),
		[]string{"urgence vitale", "urgence <b>", "urgencevitale", "Durand : urgence", "<p>"}},
	{"blocks and line breaks", htmlMessage("text/html", "<div>urgence</div><div>vitale</div><p>appeler<br>le 15</p>"),
		[]string{"urgence vitale", "appeler le 15", "urgencevitale", "vitale appeler"}},
	{"references", htmlMessage("text/html", "<p>R&eacute;sultats &amp; sign&#233;s &lt;Dr&gt; urgence&nbsp;vitale</p>"),
		[]string{"Résultats & signés <Dr>", "&eacute;", "urgence vitale", "urgence\u00a0vitale"}},
	{"hidden content", htmlMessage("text/html", "<style>.urgence{}</style><script>var vitale=1;</script><!-- grave --><img alt=\"radio\">fin"),
		[]string{"urgence", "vitale", "grave", "radio", "fin"}},
	{"white space", htmlMessage("text/html", "<p>urgence   vitale</p>"),
		[]string{"urgence vitale", "urgence   vitale"}},
	{"alternative, text in the HTML part", alternative("Mme Durand : rien de grave.", "<p>Mme Durand : urgence <b>vitale</b></p>"),
		[]string{"urgence vitale", "rien de grave"}},
	{"alternative, text in the plain part", alternative("Mme Durand : urgence vitale.", "<p>Mme Durand : rien de <i>grave</i>.</p>"),
		[]string{"urgence vitale", "rien de grave", "<i>"}},
}

func htmlMessage(contentType, body string) string {
	return "From: dr.dupont@medecin.mssante.fr\r\nTo: cabinet.lilas@medecin.mssante.fr\r\nSubject: html\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: " + contentType + "; charset=utf-8\r\n\r\n" + body + "\r\n"
}

func alternative(plain, html string) string {
	return "From: dr.dupont@medecin.mssante.fr\r\nTo: cabinet.lilas@medecin.mssante.fr\r\nSubject: alt\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n" +
		"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + plain + "\r\n" +
		"--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html + "\r\n--b1--\r\n"
}

// TestHTMLBodyAgreesWithPigeonhole runs Dovecot Pigeonhole's body :text
// :contains on messages with HTML parts and requires BodyText to hold each
// phrase exactly when Pigeonhole finds it (ASCII case-insensitively, as
// Sieve's default comparator i;ascii-casemap).
func TestHTMLBodyAgreesWithPigeonhole(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Pigeonhole")
	}
	oracle.RequireAvailable(t)
	fixture, err := os.ReadFile("testdata/html.eml") // ISO-8859-1, quoted-printable
	require.NoError(t, err)
	cases := append(htmlOracleCases, struct {
		name, message string
		phrases       []string
	}{"testdata/html.eml", string(fixture), []string{
		"urgence vitale", "urgence vitale , appeler", "Mme\u00a0Durand", "Résultats établis & signés <Dr>",
		"Ligne   avec   espaces", "Compte rendu", "var urgence", "color", "brouillon", "radio thorax", "x.png",
	}})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var script strings.Builder
			script.WriteString(`require ["body", "fileinto", "copy"];` + "\n")
			for i, p := range c.phrases {
				q := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(p)
				fmt.Fprintf(&script, "if body :text :contains \"%s\" { fileinto :copy \"p%d\"; }\n", q, i)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			out, err := oracle.Run(ctx, oracle.Request{
				Script: []byte(script.String()), Message: []byte(c.message),
				From: "dr.dupont@medecin.mssante.fr", Rcpt: "cabinet.lilas@medecin.mssante.fr",
			})
			require.NoError(t, err)
			require.Equal(t, oracle.ExitSuccess, out.ExitCode, out.Stderr)
			pigeonhole := map[string]bool{}
			for _, a := range out.Actions {
				if a.Kind == oracle.KindFileInto {
					pigeonhole[a.Folder] = true
				}
			}
			m, err := Parse([]byte(c.message), Options{})
			require.NoError(t, err)
			for i, p := range c.phrases {
				found := false
				for _, text := range m.BodyText() {
					found = found || strings.Contains(asciiLower(text), asciiLower(p))
				}
				require.Equal(t, pigeonhole[fmt.Sprintf("p%d", i)], found,
					"phrase %q: Pigeonhole found it: %v; tamis found it: %v in %q", p, !found, found, m.BodyText())
			}
		})
	}
}

func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}
