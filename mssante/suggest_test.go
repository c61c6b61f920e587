package mssante

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSuggestPublishedList(t *testing.T) {
	l := full(t)
	tests := []struct{ in, want string }{
		{"adsea29.mssanté.fr", "adsea29.mssante.fr"},
		{"ADSEA29.MSSANTÉ.FR", "adsea29.mssante.fr"},
		{"adsea29.xn--mssant-gva.fr", "adsea29.mssante.fr"},
		{"аdsea29.mssante.fr", "adsea29.mssante.fr"}, // Cyrillic а
		{"adsea29.mѕsante.fr", "adsea29.mssante.fr"}, // Cyrillic ѕ
		{"ａｄｓｅａ29.mssante.fr", "adsea29.mssante.fr"},
		{"adsea29.mss\u200bante.fr", "adsea29.mssante.fr"},
		{"adsea29\u3002mssante.fr", "adsea29.mssante.fr"},
		{"interop-mssante.apycrypt.org", ApicryptInteropDomain},
		{"mssante.apycrypt.org", ApicryptDomain},
		{"apycrypt.org", ApicryptDomain},
		{"APYCRYPT.ORG", ApicryptDomain},
		{"apicrypt.org", ""}, // Apicrypt v1: a real, other mailbox (see TestClassify)
		{"apicrypt.fr", ApicryptDomain},
		{"adsea29.msante.fr", "adsea29.mssante.fr"},
		{"adsea29.mssnate.fr", "adsea29.mssante.fr"},
		{"zenidok.mssante.fr", "zenidoc.mssante.fr"},
		{"uc-cmp.msssante.fr", "uc-cmp.mssante.fr"},
		// Nothing close, or already listed.
		{"adsea29.mssante.fr", ""},
		{"medecin.mssante.fr.evil.com", ""},
		{"gmail.com", ""},
		{"", ""},
		{"mssanté.fr", ""},
		{"gmail.org", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			require.Equal(t, tt.want, l.Suggest(tt.in))
		})
	}
}

// TestSuggestOneLetterTypos changes one letter of listed domains: the
// suggestion is always a listed domain one edit away, and usually the
// original.
func TestSuggestOneLetterTypos(t *testing.T) {
	l := full(t)
	names := l.Domains()
	found := 0
	tried := 0
	for i := 0; i < len(names); i += 25 {
		d := names[i]
		if d == PatientDomain {
			continue
		}
		b := []byte(d)
		if b[0] == 'q' {
			b[0] = 'k'
		} else {
			b[0] = 'q'
		}
		typo := string(b)
		if l.Contains(typo) {
			continue
		}
		tried++
		got := l.Suggest(typo)
		require.NotEmpty(t, got, "no suggestion for %q (from %q)", typo, d)
		require.True(t, l.Contains(got))
		require.LessOrEqual(t, editDistance(typo, got, 3), 1)
		if got == d {
			found++
		}
	}
	require.Greater(t, found*10, tried*9, "the original domain is proposed for at least 90%% of the typos (%d of %d)", found, tried)
}

func TestSuggestNeverPatientDomain(t *testing.T) {
	for _, l := range []*List{full(t), FallbackList()} {
		require.NotEqual(t, PatientDomain, l.Suggest("patiant.mssante.fr"))
		require.NotEqual(t, PatientDomain, l.Suggest("patient.mssanté.fr"))
	}
}

func TestSuggestFallback(t *testing.T) {
	l := FallbackList()
	tests := []struct{ in, want string }{
		{"cabinet.mssanté.fr", "cabinet.mssante.fr"},
		{"cabinet.msante.fr", "cabinet.mssante.fr"},
		{"interop-mssante.apycrypt.org", ApicryptInteropDomain},
		{"apycrypt.org", ApicryptDomain},
		{"crypt.org", ""},
		{"cabinet.mssante.fr", ""},
		{"gmail.com", ""},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, l.Suggest(tt.in), tt.in)
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "abc", 0}, {"abc", "abd", 1}, {"abc", "ab", 1}, {"ab", "abc", 1},
		{"abc", "acb", 1}, {"apycrypt", "apicrypt", 1}, {"mssante", "msante", 1}, {"kitten", "sitting", 3},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, editDistance(tt.a, tt.b, 5), "%s/%s", tt.a, tt.b)
		require.Equal(t, tt.want, editDistance(tt.b, tt.a, 5), "%s/%s", tt.b, tt.a)
	}
	require.Equal(t, 2, editDistance("kitten", "sitting", 1), "capped at limit+1")
}

// TestAuthorizeSuggestsApicrypt checks the whole path: a refused
// x@apycrypt.org proposes the MSSanté Apicrypt address, with the published
// list and with the fallback.
func TestAuthorizeSuggestsApicrypt(t *testing.T) {
	for name, l := range map[string]*List{"published": full(t), "fallback": FallbackList()} {
		_, err := l.Authorize("dr.martin@apycrypt.org")
		var r *Refusal
		require.ErrorAs(t, err, &r, name)
		require.Equal(t, CodeOutsideTrustSpace, r.Code, name)
		require.Equal(t, "dr.martin@"+ApicryptDomain, r.Suggestion, name)
		require.Contains(t, r.Error(), `(did you mean "dr.martin@mssante.apicrypt.org"?)`, name)
	}
}
