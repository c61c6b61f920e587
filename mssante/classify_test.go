package mssante

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestClassify(t *testing.T) {
	l := full(t)
	tests := []struct {
		in         string
		verdict    Verdict
		kind       Kind
		reason     string // fragment
		suggestion string
	}{
		{"dr.martin@adsea29.mssante.fr", Trusted, KindOther, "listed in the trust list of 2025-03-13", ""},
		{"secretariat@UC-CMP.MSSANTE.FR", Trusted, KindOther, "listed", ""},
		{"noreply-labo@adsea29.mssante.fr", Trusted, KindApplicative, "listed", ""},
		{"NoReply@adsea29.mssante.fr", Trusted, KindApplicative, "listed", ""},
		{"dr@interop-mssante.apicrypt.org", Trusted, KindApicrypt, "listed", ""},
		{"dr@mssante.apicrypt.org", Trusted, KindApicrypt, "listed", ""},
		{"269054958815780@patient.mssante.fr", Patient, KindPatient, "INS key checked", ""},
		{"269054958815781@patient.mssante.fr", Invalid, KindPatient, "wrong key 81, the number gives 80", ""},
		{"dr.martin@patient.mssante.fr", Invalid, KindPatient, "15 characters", ""},
		{"dr@apicrypt.org", Outside, KindOther, "Apicrypt v1", ""},
		{"dr@mssante.fr", Outside, KindOther, "bare domain mssante.fr", ""},
		{"dr@a.adsea29.mssante.fr", Outside, KindOther, "subdomain of the listed adsea29.mssante.fr", ""},
		{"dr@unlisted-cabinet.mssante.fr", Outside, KindOther, "not listed in the trust list of 2025-03-13", ""},
		{"dr@medecin.mssante.fr.evil.com", Outside, KindOther, "not under mssante.fr", ""},
		{"dr@gmail.com", Outside, KindOther, "is not in the trust list of 2025-03-13", ""},
		{"dr@adsea29.mssanté.fr", Outside, KindOther, "internationalised domain adsea29.xn--mssant-gva.fr (adsea29.mssanté.fr)", "dr@adsea29.mssante.fr"},
		{"dr@аdsea29.mssante.fr", Outside, KindOther, "internationalised domain xn--dsea29-2nf.mssante.fr (аdsea29.mssante.fr)", "dr@adsea29.mssante.fr"}, // Cyrillic а
		{"dr@interop-mssante.apycrypt.org", Outside, KindOther, "is not in the trust list of 2025-03-13", "dr@interop-mssante.apicrypt.org"},
		{"dr@adsea29.msante.fr", Outside, KindOther, "is not in the trust list of 2025-03-13", "dr@adsea29.mssante.fr"},
		{"Dr Martin <dr@adsea29.mssante.fr>", Invalid, KindOther, "display names", "dr@adsea29.mssante.fr"},
		{"Dr Martin <dr@gmail.com>", Invalid, KindOther, "display names", ""},
		{"dr@ａｄｓｅａ29.mssante.fr", Invalid, KindOther, "rewritten", "dr@adsea29.mssante.fr"},
		{"dr@adsea29.mssante.fr\r\nBcc: x@evil.com", Invalid, KindOther, "line break", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			c := l.Classify(tt.in)
			require.Equal(t, tt.verdict, c.Verdict, c.Reason)
			require.Equal(t, tt.kind, c.Kind)
			require.Contains(t, c.Reason, tt.reason)
			require.Equal(t, tt.suggestion, c.Suggestion)
			require.False(t, c.Unverified)
			if c.Suggestion != "" {
				require.Equal(t, Trusted, l.Classify(c.Suggestion).Verdict, "a suggestion is always trusted")
			}
		})
	}
}

func TestClassifyFallbackIsUnverified(t *testing.T) {
	l := FallbackList()
	c := l.Classify("dr@unlisted-cabinet.mssante.fr")
	require.Equal(t, Trusted, c.Verdict)
	require.True(t, c.Unverified)
	require.Contains(t, c.Reason, "built-in fallback")

	c = l.Classify("dr@gmail.com")
	require.Equal(t, Outside, c.Verdict)
	require.True(t, c.Unverified)

	c = l.Classify("dr@")
	require.Equal(t, Invalid, c.Verdict)
}

func TestClassifyApplicativePattern(t *testing.T) {
	l := FallbackList()
	o := ClassifyOptions{ApplicativePattern: "*-robot"}
	require.Equal(t, KindApplicative, l.ClassifyWith("labo-robot@cabinet.mssante.fr", o).Kind)
	require.Equal(t, KindOther, l.ClassifyWith("noreply@cabinet.mssante.fr", o).Kind)
	require.Equal(t, KindApplicative, l.Classify("noreply@cabinet.mssante.fr").Kind)
	require.Equal(t, KindOther, l.Classify("no-reply@cabinet.mssante.fr").Kind)
}

func TestMatchGlob(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"noreply*", "noreply", true}, {"noreply*", "NOREPLY-labo", true}, {"noreply*", "xnoreply", false},
		{"*-robot", "labo-robot", true}, {"*-robot", "labo-robots", false}, {"a?c", "abc", true},
		{"a?c", "ac", false}, {"*", "", true}, {"", "", true}, {"", "a", false}, {"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxbyy", false},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, matchGlob(tt.pattern, tt.s), "%q ~ %q", tt.s, tt.pattern)
	}
}

func TestVerdictAndKindNames(t *testing.T) {
	require.Equal(t, []string{"trusted", "patient", "outside", "invalid"},
		[]string{Trusted.String(), Patient.String(), Outside.String(), Invalid.String()})
	require.Equal(t, []string{"other", "patient", "apicrypt", "applicative"},
		[]string{KindOther.String(), KindPatient.String(), KindApicrypt.String(), KindApplicative.String()})
	require.Equal(t, "Verdict(9)", Verdict(9).String())
	require.Equal(t, "Kind(-1)", Kind(-1).String())
	b, err := json.Marshal(struct {
		V Verdict
		K Kind
	}{Outside, KindApicrypt})
	require.NoError(t, err)
	require.JSONEq(t, `{"V":"outside","K":"apicrypt"}`, string(b))
}
