package message

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseAddressList(t *testing.T) {
	a := func(name, local, domain string) Address { return Address{Name: name, Local: local, Domain: domain} }
	tests := []struct {
		name  string
		value string
		want  []Address
		ok    bool
	}{
		{"bare", "dr.martin@chu-nantes.mssante.fr",
			[]Address{a("", "dr.martin", "chu-nantes.mssante.fr")}, true},
		{"quoted display name", `"Dr Martin" <dr.martin@chu-nantes.mssante.fr>`,
			[]Address{a("Dr Martin", "dr.martin", "chu-nantes.mssante.fr")}, true},
		{"atom display name", `Dr Sophie Leroy <sophie.leroy@cabinet-lilas.mssante.fr>`,
			[]Address{a("Dr Sophie Leroy", "sophie.leroy", "cabinet-lilas.mssante.fr")}, true},
		{"dotted display name", `Dr. J. Martin <j@x.mssante.fr>`,
			[]Address{a("Dr. J. Martin", "j", "x.mssante.fr")}, true},
		{"escaped quote", `"Martin \"Jo\", Dr" <j@x.mssante.fr>`,
			[]Address{a(`Martin "Jo", Dr`, "j", "x.mssante.fr")}, true},
		{"encoded-word name", `=?UTF-8?Q?Secr=C3=A9tariat_m=C3=A9dical?= <s@x.mssante.fr>`,
			[]Address{a("Secrétariat médical", "s", "x.mssante.fr")}, true},
		{"adjacent encoded-words", `=?UTF-8?Q?Andr=C3=A9?= =?UTF-8?Q?_Dupr=C3=A9?= <a@x.mssante.fr>`,
			[]Address{a("André Dupré", "a", "x.mssante.fr")}, true},
		{"encoded-word in quotes", `"=?ISO-8859-1?Q?H=F4pital?=" <h@x.mssante.fr>`,
			[]Address{a("Hôpital", "h", "x.mssante.fr")}, true},
		{"encoded comma stays in the name", `=?UTF-8?Q?Martin=2C_Jean?= <j@x.mssante.fr>, b@x.mssante.fr`,
			[]Address{a("Martin, Jean", "j", "x.mssante.fr"), a("", "b", "x.mssante.fr")}, true},
		{"angle only", `<a@x.mssante.fr>`, []Address{a("", "a", "x.mssante.fr")}, true},
		{"comment as name", `a@x.mssante.fr (Dr A)`, []Address{a("Dr A", "a", "x.mssante.fr")}, true},
		{"comments ignored in name-addr", `"B" (chef) <b(x)@x.mssante.fr> (fin)`,
			[]Address{a("B", "b", "x.mssante.fr")}, true},
		{"list", `a@x.mssante.fr, "B" <b@y.mssante.fr>,c@z.mssante.fr`,
			[]Address{a("", "a", "x.mssante.fr"), a("B", "b", "y.mssante.fr"), a("", "c", "z.mssante.fr")}, true},
		{"empty entries", `, a@x.mssante.fr,,`, []Address{a("", "a", "x.mssante.fr")}, true},
		{"undisclosed recipients", `undisclosed-recipients:;`, nil, true},
		{"group", `Equipe: a@x.mssante.fr, B <b@x.mssante.fr>; c@x.mssante.fr`,
			[]Address{a("", "a", "x.mssante.fr"), a("B", "b", "x.mssante.fr"), a("", "c", "x.mssante.fr")}, true},
		{"null path", `<>`, nil, true},
		{"case kept", `Dr.Martin@CHU-Nantes.MSSante.fr`, []Address{a("", "Dr.Martin", "CHU-Nantes.MSSante.fr")}, true},
		{"quoted local part", `"jean dupont"@x.mssante.fr`, []Address{a("", `"jean dupont"`, "x.mssante.fr")}, true},
		{"obsolete spaces around dots", `jean . dupont @ x . mssante.fr`, []Address{a("", "jean.dupont", "x.mssante.fr")}, true},
		{"obsolete route", `<@relay.mssante.fr,@r2.mssante.fr:a@x.mssante.fr>`, []Address{a("", "a", "x.mssante.fr")}, true},
		{"domain literal", `a@[192.0.2.1]`, []Address{a("", "a", "[192.0.2.1]")}, true},
		{"bare local name", `MAILER-DAEMON`, []Address{a("", "MAILER-DAEMON", "")}, true},
		{"utf-8 address", `andré@hôpital.mssante.fr`, []Address{a("", "andré", "hôpital.mssante.fr")}, true},
		{"broken entry skipped", `a@x.mssante.fr, bad@@x, c@x.mssante.fr`,
			[]Address{a("", "a", "x.mssante.fr"), a("", "c", "x.mssante.fr")}, false},
		{"phrase without address", `John Smith, b@x.mssante.fr`, []Address{a("", "b", "x.mssante.fr")}, false},
		{"unclosed angle", `A <a@x.mssante.fr, b@x.mssante.fr`,
			[]Address{a("A", "a", "x.mssante.fr"), a("", "b", "x.mssante.fr")}, false},
		{"unclosed quote", `"Dr Martin <m@x.mssante.fr>, b@x.mssante.fr`,
			[]Address{a("Dr Martin", "m", "x.mssante.fr"), a("", "b", "x.mssante.fr")}, false},
		{"unclosed comment", `a@x.mssante.fr (note`, []Address{a("note", "a", "x.mssante.fr")}, false},
		{"text after angle", `A <a@x.mssante.fr> junk, b@x.mssante.fr`,
			[]Address{a("A", "a", "x.mssante.fr"), a("", "b", "x.mssante.fr")}, false},
		{"empty", ``, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseAddressList(tt.value)
			require.Equal(t, tt.want, got)
			require.Equal(t, tt.ok, ok)
		})
	}
}

func TestAddressString(t *testing.T) {
	require.Equal(t, "a@x.mssante.fr", Address{Name: "A", Local: "a", Domain: "x.mssante.fr"}.String())
	require.Equal(t, "MAILER-DAEMON", Address{Local: "MAILER-DAEMON"}.String())
	require.Equal(t, "", Address{}.String())
}

func FuzzParseAddressList(f *testing.F) {
	for _, s := range []string{
		`"Dr Martin" <dr.martin@chu-nantes.mssante.fr>`, `undisclosed-recipients:;`,
		`a@x (c), <@r:b@y>, "q\"x" <z@[1.2.3.4]>`, `=?UTF-8?Q?Andr=C3=A9?= <a@x>`, `"open <a@b`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		list, _ := ParseAddressList(s)
		for _, a := range list {
			if a.Local == "" {
				t.Fatalf("empty local part in %q", s)
			}
		}
	})
}
