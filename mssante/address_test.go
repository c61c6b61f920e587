package mssante

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseAddressValid(t *testing.T) {
	tests := []struct {
		in          string
		local, dom  string
		wantVerbose string // String() of the result
	}{
		{"dr.martin@adsea29.mssante.fr", "dr.martin", "adsea29.mssante.fr", "dr.martin@adsea29.mssante.fr"},
		{"Dr.Martin@ADSEA29.MSSante.FR", "Dr.Martin", "adsea29.mssante.fr", "Dr.Martin@adsea29.mssante.fr"},
		{"secretariat+urgences@UC-CMP.mssante.fr", "secretariat+urgences", "uc-cmp.mssante.fr", "secretariat+urgences@uc-cmp.mssante.fr"},
		{"noreply@interop-mssante.apicrypt.org", "noreply", "interop-mssante.apicrypt.org", "noreply@interop-mssante.apicrypt.org"},
		{"o'brien@15-20.mssante.fr", "o'brien", "15-20.mssante.fr", "o'brien@15-20.mssante.fr"},
		{"a#b$c&d*e/f=g?h^i_j`k{l|m}n~o@x.fr", "a#b$c&d*e/f=g?h^i_j`k{l|m}n~o", "x.fr", "a#b$c&d*e/f=g?h^i_j`k{l|m}n~o@x.fr"},
		{"dr@mssanté.fr", "dr", "xn--mssant-gva.fr", "dr@xn--mssant-gva.fr"},
		{"dr@MSSANTÉ.fr", "dr", "xn--mssant-gva.fr", "dr@xn--mssant-gva.fr"},
		{"dr@XN--MSSANT-GVA.FR", "dr", "xn--mssant-gva.fr", "dr@xn--mssant-gva.fr"},
		{"dr@médecins.santé.fr", "dr", "xn--mdecins-bya.xn--sant-epa.fr", "dr@xn--mdecins-bya.xn--sant-epa.fr"},
		{strings.Repeat("l", 64) + "@x.fr", strings.Repeat("l", 64), "x.fr", strings.Repeat("l", 64) + "@x.fr"},
		{strings.Repeat("l", 60) + "@" + strings.Repeat(strings.Repeat("d", 60)+".", 3) + "mssante.fr", strings.Repeat("l", 60), strings.Repeat(strings.Repeat("d", 60)+".", 3) + "mssante.fr", strings.Repeat("l", 60) + "@" + strings.Repeat(strings.Repeat("d", 60)+".", 3) + "mssante.fr"}, // 254 octets
		{"a@" + strings.Repeat("d", 63) + ".fr", "a", strings.Repeat("d", 63) + ".fr", "a@" + strings.Repeat("d", 63) + ".fr"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			a, err := ParseAddress(tt.in)
			require.NoError(t, err)
			require.Equal(t, Address{Local: tt.local, Domain: tt.dom}, a)
			require.Equal(t, tt.wantVerbose, a.String())
			again, err := ParseAddress(a.String())
			require.NoError(t, err)
			require.Equal(t, a, again)
		})
	}
}

// adversarial lists addresses crafted to slip past a trust check. reason,
// when set, is a fragment of the syntax error; when empty the address is
// valid but must still never be trusted.
var adversarial = []struct{ in, reason string }{
	// Header injection and control characters.
	{"dr@adsea29.mssante.fr\r\nBcc: x@evil.com", "line break"},
	{"dr@adsea29.mssante.fr\n", "line break"},
	{"dr@adsea29.mssante.fr\r", "line break"},
	{"dr@adsea29.mssante.fr\x00@evil.com", "NUL"},
	{"dr@adsea29.mssante.fr\x7f", "control character"},
	{"dr@adsea29.mssante.fr\x1b[31m", "control character"},
	{"dr@adsea29.mssante.fr\xff", "UTF-8"},
	// Quoted strings, comments, display names.
	{`"dr"@adsea29.mssante.fr`, "quoted"},
	{`"dr@evil.com"@adsea29.mssante.fr`, "quoted"},
	{`"dr\"@evil.com"@adsea29.mssante.fr`, "quoted"},
	{"dr(comment)@adsea29.mssante.fr", "comments"},
	{"dr@adsea29.mssante.fr(evil.com)", "comments"},
	{"Dr X <dr@adsea29.mssante.fr>", "display names"},
	{"<dr@adsea29.mssante.fr>", "angle brackets"},
	{"dr@evil.com <dr@adsea29.mssante.fr>", "display names"},
	{"dr@evil.com<dr@adsea29.mssante.fr>", "display names"},
	// Routing.
	{"dr%evil.com@adsea29.mssante.fr", "'%'"},
	{"dr@adsea29.mssante.fr%evil.com", "'%'"},
	{"evil.com!dr@adsea29.mssante.fr", "'!'"},
	{"@adsea29.mssante.fr:dr@evil.com", "source route"},
	{"@evil.com:dr@adsea29.mssante.fr", "source route"},
	{"mailto:dr@adsea29.mssante.fr", "':'"},
	{"dr@adsea29.mssante.fr:25", "':'"},
	{"dr\\@adsea29.mssante.fr", "backslash"},
	{"dr@adsea29.mssante.fr\\", "backslash"},
	// IP literals and numeric hosts.
	{"dr@[192.0.2.1]", "IP-address literal"},
	{"dr@[IPv6:2001:db8::1]", "IP-address literal"},
	{"dr@192.0.2.1", "numeric"},
	// Several addresses.
	{"dr@adsea29.mssante.fr,x@evil.com", "several addresses"},
	{"dr@adsea29.mssante.fr;x@evil.com", "several addresses"},
	{"dr@evil.com@adsea29.mssante.fr", "more than one '@'"},
	{"dr@adsea29.mssante.fr@evil.com", "more than one '@'"},
	// Whitespace, visible or not.
	{" dr@adsea29.mssante.fr", "whitespace"},
	{"dr@adsea29.mssante.fr ", "whitespace"},
	{"dr @adsea29.mssante.fr", "whitespace"},
	{"dr@adsea29.mssante.fr\t", "whitespace"},
	{"dr\u00a0@adsea29.mssante.fr", "U+00A0"},
	{"dr@adsea29.mssante.fr\u2028", "U+2028"},
	// Zero-width and other invisible characters.
	{"dr@adsea29.mss\u200bante.fr", "U+200B"},
	{"dr@adsea29\u200c.mssante.fr", "U+200C"},
	{"dr@adsea29.mssante.fr\u200d", "U+200D"},
	{"dr@\ufeffadsea29.mssante.fr", "U+FEFF"},
	{"dr@adsea29.mss\u00adante.fr", "U+00AD"},
	{"d\u2060r@adsea29.mssante.fr", "U+2060"},
	{"dr@adsea29.mssante.fr\u202e", "U+202E"},
	// Characters that IDNA would fold onto a listed ASCII domain.
	{"dr@adsea29\u3002mssante.fr", "rewritten"},
	{"dr@adsea29\uff0emssante.fr", "rewritten"},
	{"dr@ａｄｓｅａ29.mssante.fr", "rewritten"},
	{"dr@adsea29.ｍｓｓａｎｔｅ.fr", "rewritten"},
	{"dr@ADSEA29.MSSANTE.ＦＲ", "rewritten"},
	{"dr@adsea29.mssante.\u210c", "rewritten"},     // ℌ (script H), no Latin fold here
	{"dr@adsea29\ufe0f.mssante.fr", "rewritten"},   // variation selector, ignored by IDNA
	{"dr@adsea29.mss\u034fante.fr", "rewritten"},   // combining grapheme joiner, ignored by IDNA
	{"dr@adsea29.mssante.ⅿ", "rewritten"},          // small roman numeral one thousand
	{"dr@adsea29.mssante.fr\U000e0041", "U+E0041"}, // tag character
	{"dr@adsea29.mssante\xc0\xae.fr", "UTF-8"},     // over-long '.'
	{"dr＠adsea29.mssante.fr", "missing '@'"},
	{"dr@evil.com＠adsea29.mssante.fr", "internationalised"},
	// Homographs: valid internationalised domains that are not listed.
	{"dr@adsea29.mѕsante.fr", ""}, // Cyrillic ѕ
	{"dr@аdsea29.mssante.fr", ""}, // Cyrillic а
	{"dr@adsea29.mssanté.fr", ""},
	{"dr@adsea29.xn--mssant-gva.fr", ""},
	{"dr@interop-mssante.apicrypτ.org", ""}, // Greek τ
	// Malformed labels and empty parts.
	{"dr@ab--cd.mssante.fr", "third and fourth"},
	{"dr@xn--mssante-.fr", "hyphen"},
	{"dr@-adsea29.mssante.fr", "hyphen"},
	{"dr@adsea29-.mssante.fr", "hyphen"},
	{"dr@adsea29..mssante.fr", "empty label"},
	{"dr@.adsea29.mssante.fr", "empty label"},
	{"dr@adsea29.mssante.fr.", "empty label"},
	{".dr@adsea29.mssante.fr", "empty dot-separated part"},
	{"dr.@adsea29.mssante.fr", "empty dot-separated part"},
	{"d..r@adsea29.mssante.fr", "empty dot-separated part"},
	{"@adsea29.mssante.fr", "empty local part"},
	{"dr@", "empty domain"},
	{"", "empty address"},
	{"dr", "missing '@'"},
	{"dr@localhost", "two labels"},
	{"dr@adsea29_x.mssante.fr", "'_'"},
	{"drè@adsea29.mssante.fr", "non-ASCII local part"},
	{strings.Repeat("l", 65) + "@adsea29.mssante.fr", "at most 64"},
	{"dr@" + strings.Repeat("d", 64) + ".mssante.fr", "at most 63"},
	{strings.Repeat("l", 60) + "@" + strings.Repeat(strings.Repeat("d", 50)+".", 4) + "mssante.fr", "at most 254"},
	// Suffix spoofs and near misses of the trust space.
	{"dr@adsea29.mssante.fr.evil.com", ""},
	{"dr@medecin.mssante.fr.evil.com", ""},
	{"dr@mssante.fr.evil.com", ""},
	{"dr@evil-mssante.fr", ""},
	{"dr@evilmssante.fr", ""},
	{"dr@mssante.fr", ""},
	{"dr@mssante.com", ""},
	{"dr@apicrypt.org", ""},
	{"dr@www.apicrypt.org", ""},
	{"dr@x.interop-mssante.apicrypt.org", ""},
	{"dr@interop-mssante.apicrypt.org.evil.com", ""},
	// Patient mailboxes are never targets.
	{"269054958815780@patient.mssante.fr", ""},
	{"269054958815780@PATIENT.MSSANTE.FR", ""},
	{"dr@patient.mssante.fr", ""},
	{"dr@x.patient.mssante.fr", ""},
}

func TestAdversarialAddressesSyntax(t *testing.T) {
	require.GreaterOrEqual(t, len(adversarial), 60)
	for _, tt := range adversarial {
		if tt.reason == "" {
			continue
		}
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseAddress(tt.in)
			var ae *AddressError
			require.True(t, errors.As(err, &ae), "ParseAddress(%q) = %v, want an *AddressError", tt.in, err)
			require.Contains(t, ae.Reason, tt.reason)
			require.Equal(t, tt.in, ae.Input)
			require.NotContains(t, ae.Error(), "\n", "the message must not carry a line break")
		})
	}
}

// TestAdversarialAddressesNoLeak checks the property that matters: none of
// the tricks is authorised, by the published list or by the fallback.
func TestAdversarialAddressesNoLeak(t *testing.T) {
	lists := map[string]*List{"fallback": FallbackList(), "2025-03-13": full(t), "2025-05-21": partial(t)}
	for name, l := range lists {
		for _, tt := range adversarial {
			target, err := l.Authorize(tt.in)
			require.Error(t, err, "%s list authorised %q", name, tt.in)
			require.True(t, target.IsZero())
			var r *Refusal
			require.True(t, errors.As(err, &r))
			if tt.reason != "" {
				require.Equal(t, CodeInvalidAddress, r.Code, "%q", tt.in)
			}
			require.NotEqual(t, Trusted, l.Classify(tt.in).Verdict, "%s list trusts %q", name, tt.in)
		}
	}
}

func TestParseAddressDoesNotAllocate(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := ParseAddress("dr.martin+x@adsea29.mssante.fr"); err != nil {
			t.Fatal(err)
		}
	})
	require.Zero(t, allocs)
}

// TestALabelsMustBeCanonical feeds A-labels that decode to characters IDNA
// maps or ignores (computed with Python's punycode codec): they are
// refused, so a domain has one spelling only.
func TestALabelsMustBeCanonical(t *testing.T) {
	for _, d := range []string{
		"xn--mssant-1oa.fr",   // mssantÉ (upper case)
		"xn--mssante-2z6c.fr", // mss + ZERO WIDTH SPACE + ante
		"xn--yi7cma.fr",       // full-width ｍｓ
		"xn--a-vca4p.fr",      // a + SOFT HYPHEN + é
	} {
		_, err := ParseAddress("dr@" + d)
		require.Error(t, err, d)
		require.Contains(t, err.Error(), "internationalised label", d)
	}
}

func TestSelfAddressesThatDoNotParse(t *testing.T) {
	l := FallbackList()
	_, err := l.Authorize("dr@cabinet.mssante.fr", "not an address", "dr@CABINET.mssante.fr")
	var r *Refusal
	require.True(t, errors.As(err, &r))
	require.Equal(t, CodeSelfTarget, r.Code)
	_, err = l.Authorize("dr@cabinet.mssante.fr", "not an address")
	require.NoError(t, err)
}
