package mssante

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzTargetAddress checks that ParseAddress never panics, that whatever
// it accepts re-parses to itself, is printable ASCII without any character
// it refuses, and that Authorize never accepts what ParseAddress refuses.
func FuzzTargetAddress(f *testing.F) {
	for _, tt := range adversarial {
		f.Add(tt.in)
	}
	for _, s := range []string{
		"dr.martin@adsea29.mssante.fr", "Dr.Martin@ADSEA29.MSSante.FR", "dr@mssanté.fr",
		"dr@xn--mssant-gva.fr", "dr@xn--ssante-bxa.fr", "a@b.c", "noreply+x@interop-mssante.apicrypt.org",
		"269054958815780@patient.mssante.fr", "dr@médecins.santé.fr",
	} {
		f.Add(s)
	}
	l := FallbackList()
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAddress(s)
		if strict, serr := parseStrict(s); (serr == nil) != (err == nil) || strict != a {
			t.Fatalf("ParseAddress(%q) = %q, %v but the full parser gives %q, %v", s, a, err, strict, serr)
		}
		target, authErr := l.Authorize(s)
		if err != nil {
			if authErr == nil {
				t.Fatalf("Authorize accepted %q that ParseAddress refuses: %v", s, err)
			}
			if _, ok := err.(*AddressError); !ok {
				t.Fatalf("error %T, want *AddressError", err)
			}
			return
		}
		if l.Contains(a.Domain) != l.containsCanonical(a.Domain) || l.Contains(s[strings.LastIndexByte(s, '@')+1:]) != l.Contains(a.Domain) {
			t.Fatalf("Contains disagrees on the spellings of %q", a.Domain)
		}
		out := a.String()
		for i := 0; i < len(out); i++ {
			if c := out[i]; c <= ' ' || c >= utf8.RuneSelf || strings.IndexByte(`"()<>,;:[]\%!`, c) >= 0 {
				t.Fatalf("ParseAddress(%q) = %q, which holds %q", s, out, c)
			}
		}
		if len(out) > MaxAddressLen || len(a.Local) > MaxLocalLen {
			t.Fatalf("ParseAddress(%q) = %q exceeds the length limits", s, out)
		}
		if a.Domain != strings.ToLower(a.Domain) {
			t.Fatalf("domain %q is not lower case", a.Domain)
		}
		again, err := ParseAddress(out)
		if err != nil || again != a {
			t.Fatalf("ParseAddress(%q) = %q, which re-parses to %q, %v", s, out, again, err)
		}
		if authErr == nil {
			if target.Address() != a || target.String() != out {
				t.Fatalf("Authorize(%q) = %q, ParseAddress gives %q", s, target, out)
			}
			if !l.Contains(a.Domain) || a.Domain == PatientDomain {
				t.Fatalf("Authorize(%q) accepted a domain outside the trust space", s)
			}
		}
	})
}

// FuzzParseList checks that ParseList never panics on a damaged document
// and that a list it returns is usable: not empty, every listed domain
// found by Contains and valid as an address domain.
func FuzzParseList(f *testing.F) {
	f.Add(smallList("cabinet.mssante.fr", "UC-CMP.mssante.fr", "interop-mssante.apicrypt.org"))
	f.Add(smallList("x@y.mssante.fr", "médecins.mssante.fr"))
	f.Add(smallList())
	f.Add(smallList("cabinet.mssante.fr") + "</ListeBlancheMSSante>")
	f.Fuzz(func(t *testing.T, doc string) {
		l, err := ParseList(strings.NewReader(doc))
		if err != nil {
			if l != nil {
				t.Fatal("a list and an error")
			}
			return
		}
		if l.Len() == 0 || !l.Verified() || len(l.Digest()) != 64 {
			t.Fatalf("unusable list: %d domains, verified %v, digest %q", l.Len(), l.Verified(), l.Digest())
		}
		for _, d := range l.Domains() {
			if !l.Contains(d) || !l.Contains(strings.ToUpper(d)) {
				t.Fatalf("listed %q is not found", d)
			}
			if _, err := ParseAddress("x@" + d); err != nil && len(d) < MaxAddressLen-2 {
				t.Fatalf("listed %q is not a valid domain: %v", d, err)
			}
		}
	})
}
