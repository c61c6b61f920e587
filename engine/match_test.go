package engine

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/rules"
)

func TestMatcher(t *testing.T) {
	tests := []struct {
		kind  rules.MatchKind
		cs    bool
		key   string
		value string
		want  bool
	}{
		{rules.Is, false, "résultats", "RÉSULTATS", true},
		{rules.Is, false, "résultats", "resultats", false},
		{rules.Is, true, "résultats", "Résultats", false},
		{rules.Is, false, "k", "\u212a", true}, // Kelvin sign
		{rules.Is, false, "s", "ſ", true},      // long s
		{rules.Is, false, "ss", "ß", false},    // simple folding only
		{rules.Is, false, "σας", "ΣΑΣ", true},  // final sigma
		{rules.Is, false, "", "", true},
		{rules.Contains, false, "ordonnance", "Votre ORDONNANCE du 3", true},
		{rules.Contains, false, "é", "CAFÉ", true},
		{rules.Contains, false, "fin]", "Re: [FIN]", true},
		{rules.Contains, false, "x", "", false},
		{rules.Contains, false, "", "anything", true},
		{rules.Contains, true, "FIN", "fin", false},
		{rules.Contains, false, "ÉTÉ", "un été chaud", true},
		{rules.Matches, false, "CR *", "cr du 3 janvier", true},
		{rules.Matches, false, "CR *", "CR", false},
		{rules.Matches, false, "*@*.mssante.fr", "x@chu.MSSANTE.fr", true},
		{rules.Matches, false, "?té", "été", true}, // ? is one character, not one byte
		{rules.Matches, false, "??té", "été", false},
		{rules.Matches, false, `\*urgent\*`, "*URGENT*", true},
		{rules.Matches, false, `\*urgent\*`, "xURGENTx", false},
		{rules.Matches, false, "a*b*c", "aXXbYYbZZc", true},
		{rules.Matches, false, "a*b*c", "aXXbYYbZZ", false},
		{rules.Matches, true, "Dr *", "dr Martin", false},
		{rules.Matches, false, "*", "", true},
		{rules.Regex, false, `^urgen(t|ce)\b`, "Urgence : patient", true},
		{rules.Regex, false, `^urgen(t|ce)\b`, "Pas urgent", false},
		{rules.Regex, false, `é`, "É", true},
		{rules.Regex, true, `é`, "É", false},
	}
	for _, tt := range tests {
		m := compileMatch(rules.Match{Kind: tt.kind, Keys: rules.Lits(tt.key), CaseSensitive: tt.cs}, func(rules.Literal, error) { t.Fatal("bad regex") })
		var scratch []byte
		require.Equal(t, tt.want, m.match(tt.value, &scratch), "%s %q on %q (case-sensitive %v)", tt.kind, tt.key, tt.value, tt.cs)
	}
}

// A set of many "is" keys gives the same answers as the keys one by one.
func TestMatcherManyKeys(t *testing.T) {
	keys := []string{"a@x.fr", "B@x.fr", "Élise@x.fr", "d@x.fr", "e@x.fr", "f@x.fr", "g@x.fr", "h@x.fr", "i@x.fr"}
	for _, cs := range []bool{false, true} {
		m := compileMatch(rules.Match{Kind: rules.Is, Keys: rules.Lits(keys...), CaseSensitive: cs}, nil)
		require.NotNil(t, m.set)
		var scratch []byte
		for _, v := range []string{"A@X.FR", "b@x.fr", "élise@x.fr", "ÉLISE@X.FR", "z@x.fr", "i@x.fr"} {
			want := false
			for _, k := range keys {
				if cs && k == v || !cs && foldString(k) == foldString(v) {
					want = true
				}
			}
			require.Equal(t, want, m.match(v, &scratch), "%q case-sensitive %v", v, cs)
		}
	}
}

func TestConditions(t *testing.T) {
	m := parseMsg(t, `From: "Dr Martin" <Dr.Martin@CHU-Nantes.mssante.fr>
To: cabinet-des-lilas.93260@esantepdl.mssante.fr, "Dr A" <a.martin@medecin.mssante.fr>
Cc: secretariat@chu-nantes.mssante.fr
Subject: Résultats
X-MSS-INS: O
Resent-From: relais@esantepdl.mssante.fr

Bonjour, voici l'ORDONNANCE.
`)
	addr := func(f rules.AddressField, part rules.AddressPart, kind rules.MatchKind, keys ...string) rules.Condition {
		return &rules.AddressTest{Node: pos(), Field: f, Part: part, Match: match(kind, keys...)}
	}
	tests := []struct {
		name string
		cond rules.Condition
		want bool
	}{
		{"from is, case of the address ignored", fromIs(drMartin), true},
		{"from local", addr(rules.FieldFrom, rules.PartLocal, rules.Is, "dr.martin"), true},
		{"from domain", addr(rules.FieldFrom, rules.PartDomain, rules.Is, "chu-nantes.mssante.fr"), true},
		{"from display name is not the address", addr(rules.FieldFrom, rules.PartAll, rules.Contains, "Dr Martin"), false},
		{"header from has the display name", header("From", rules.Contains, "Dr Martin"), true},
		{"to second address", addr(rules.FieldTo, rules.PartAll, rules.Is, "a.martin@medecin.mssante.fr"), true},
		{"cc domain", addr(rules.FieldCc, rules.PartDomain, rules.Matches, "*.mssante.fr"), true},
		{"bcc absent", addr(rules.FieldBcc, rules.PartAll, rules.Contains, ""), false},
		{"address header", &rules.AddressTest{Node: pos(), Field: rules.FieldHeader, Headers: rules.Lits("resent-from"), Match: match(rules.Is, "relais@esantepdl.mssante.fr")}, true},
		{"envelope from", addr(rules.FieldEnvelopeFrom, rules.PartLocal, rules.Is, "dr.martin"), true},
		{"envelope to domain", addr(rules.FieldEnvelopeTo, rules.PartDomain, rules.Is, "esantepdl.mssante.fr"), true},
		{"header name case", header("x-mss-ins", rules.Is, "o"), true},
		{"body", &rules.BodyTest{Node: pos(), Match: match(rules.Contains, "ordonnance")}, true},
		{"body case-sensitive", &rules.BodyTest{Node: pos(), Match: rules.Match{Kind: rules.Contains, Keys: rules.Lits("ordonnance"), CaseSensitive: true}}, false},
		{"size over", &rules.SizeTest{Node: pos(), Over: true, Limit: 100}, true},
		{"size under", &rules.SizeTest{Node: pos(), Over: false, Limit: 100}, false},
		{"exists all", &rules.ExistsTest{Node: pos(), Names: rules.Lits("X-MSS-INS", "Subject")}, true},
		{"exists one missing", &rules.ExistsTest{Node: pos(), Names: rules.Lits("X-MSS-INS", "X-MSS-NIL")}, false},
		{"not", &rules.Not{Node: pos(), Cond: header("Subject", rules.Is, "x")}, true},
		{"empty all", all(), true},
		{"empty any", anyOf(), false},
		{"trusted", &rules.PredicateTest{Node: pos(), Predicate: rules.SenderTrusted}, true},
		{"untrusted", &rules.PredicateTest{Node: pos(), Predicate: rules.SenderUntrusted}, false},
		{"patient", &rules.PredicateTest{Node: pos(), Predicate: rules.SenderPatient}, false},
		{"auto-reply", &rules.PredicateTest{Node: pos(), Predicate: rules.MessageAutoReply}, false},
		{"bounce", &rules.PredicateTest{Node: pos(), Predicate: rules.MessageBounce}, false},
		{"mailing-list", &rules.PredicateTest{Node: pos(), Predicate: rules.MessageMailingList}, false},
		{"read-receipt", &rules.PredicateTest{Node: pos(), Predicate: rules.MessageReadReceipt}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := compile(t, policy(rule("r", tt.cond, fileInto("M"))), Options{})
			r := eval(p, deliver(m))
			require.Equal(t, tt.want, len(r.Actions) == 1, "%s", r)
		})
	}
}

func TestPredicates(t *testing.T) {
	tests := []struct {
		name, from, raw string
		pred            rules.Predicate
		want            bool
	}{
		{"patient by envelope", "185077512345678@patient.mssante.fr", "From: x@y.fr\n\n", rules.SenderPatient, true},
		{"patient by From when no envelope", "", "From: 185077512345678@Patient.MSSante.fr\n\n", rules.SenderPatient, true},
		{"untrusted gmail", "someone@gmail.com", "From: x@y.fr\n\n", rules.SenderUntrusted, true},
		{"untrusted bare mssante.fr", "x@mssante.fr", "From: x@y.fr\n\n", rules.SenderUntrusted, true},
		{"trusted apicrypt", "x@mssante.apicrypt.org", "From: x@y.fr\n\n", rules.SenderTrusted, true},
		{"auto-reply", drMartin, "Auto-Submitted: auto-replied\n\n", rules.MessageAutoReply, true},
		{"auto-submitted no", drMartin, "Auto-Submitted: no\n\n", rules.MessageAutoReply, false},
		{"auto-generated with params", drMartin, "Auto-Submitted: auto-generated; owner-email=x@y.fr\n\n", rules.MessageAutoReply, true},
		{"read receipt", drMartin, "Content-Type: multipart/report; report-type=disposition-notification; boundary=b\n\n--b\n\nx\n--b--\n", rules.MessageReadReceipt, true},
		{"bounce DSN", drMartin, "Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\n\nx\n--b--\n", rules.MessageBounce, true},
		{"bounce null sender", "<>", "From: MAILER-DAEMON@esantepdl.mssante.fr\n\n", rules.MessageBounce, true},
		{"list-unsubscribe", drMartin, "List-Unsubscribe: <mailto:x@y.fr>\n\n", rules.MessageMailingList, true},
		{"precedence bulk", drMartin, "Precedence: Bulk\n\n", rules.MessageMailingList, true},
		{"precedence first-class", drMartin, "Precedence: first-class\n\n", rules.MessageMailingList, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := compile(t, policy(rule("r", &rules.PredicateTest{Node: pos(), Predicate: tt.pred}, fileInto("M"))), Options{})
			d := deliver(parseMsg(t, tt.raw))
			d.EnvelopeFrom = tt.from
			r := eval(p, d)
			require.Empty(t, r.Errors)
			require.Equal(t, tt.want, len(r.Actions) == 1, "%s", r)
		})
	}
}

// The allocation-free comparisons agree with comparing folded copies.
func FuzzFold(f *testing.F) {
	f.Add("RÉSULTATS de Mme", "résultats")
	f.Add("\u212aelvin", "k")
	f.Add("ſ", "S")
	f.Add("ab", "")
	f.Fuzz(func(t *testing.T, v, k string) {
		fv, fk := foldString(v), foldString(k)
		if got, want := equalFold(v, fk), fv == fk; got != want {
			t.Fatalf("equalFold(%q, %q) = %v, want %v", v, fk, got, want)
		}
		if got, want := containsFold(v, fk), strings.Contains(fv, fk); got != want {
			t.Fatalf("containsFold(%q, %q) = %v, want %v", v, fk, got, want)
		}
	})
}
