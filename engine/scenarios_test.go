package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/rules"
)

var paris = mustZone("Europe/Paris")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func bound(y int, m time.Month, d int, hm ...int) *rules.Bound {
	b := &rules.Bound{Node: pos(), Date: rules.Date{Year: y, Month: m, Day: d}}
	if len(hm) == 2 {
		b.Time, b.HasTime = rules.Clock{Hour: hm[0], Minute: hm[1]}, true
	}
	return b
}

// winterAbsence is the seed's absence block: a window with a reply and a
// copy to the replacement.
func winterAbsence() *rules.Vacation {
	subject := lit("Absence du cabinet")
	return &rules.Vacation{
		Node:    pos(),
		Name:    lit("Congés d'hiver"),
		Windows: []rules.Window{{Node: pos(), From: bound(2025, 12, 20, 18, 0), Until: bound(2026, 1, 5, 8, 0)}},
		Reply: rules.Reply{Node: pos(), Subject: &subject,
			Text: lit("Bonjour,\nLe cabinet est fermé du 20/12 au 05/01. En cas d'urgence, appelez le 15.")},
		Actions: []rules.Action{copyTo(rempl)},
	}
}

func TestAbsenceWithCopyToReplacement(t *testing.T) {
	p := compile(t, policy(winterAbsence()), Options{})
	m := simpleMsg(t, `"Dr Martin" <`+drMartin+`>`, "Résultats de Mme Durand")
	d := deliver(m)

	d.Time = time.Date(2025, 12, 24, 10, 0, 0, 0, paris)
	r := eval(p, d)
	require.Equal(t, "reply copy:"+rempl+" implicit-keep", brief(r), "%s", r)
	require.NotNil(t, r.Reply)
	require.Equal(t, drMartin, r.Reply.To)
	require.Equal(t, "", r.Reply.EnvelopeFrom)
	require.Equal(t, mailbox, r.Reply.From)
	require.Equal(t, "Congés d'hiver", r.Actions[0].Rule)
	raw := string(r.Reply.Bytes)
	require.Contains(t, raw, "To: "+drMartin+"\r\n")
	require.Contains(t, raw, "Auto-Submitted: auto-replied\r\n")
	require.Contains(t, raw, "In-Reply-To: <123@chu-nantes.mssante.fr>\r\n")

	// The same sender the next day: no second reply within 7 days, but the
	// copy still goes to the replacement.
	d.Time = time.Date(2025, 12, 25, 10, 0, 0, 0, paris)
	r = eval(p, d)
	require.Equal(t, "copy:"+rempl+" implicit-keep", brief(r), "%s", r)
	require.NotNil(t, r.Suppressed)
	require.Equal(t, "already-replied", r.Suppressed.Code)

	// A week later the sender gets a reply again.
	d.Time = time.Date(2025, 12, 31, 10, 0, 0, 0, paris)
	require.Equal(t, "reply copy:"+rempl+" implicit-keep", brief(eval(p, d)))

	// The window ends on 2026-01-05 at 08:00, Paris time (07:00 UTC).
	d.EnvelopeFrom = "secretariat@chu-nantes.mssante.fr"
	d.Time = time.Date(2026, 1, 5, 7, 59, 0, 0, paris)
	require.Equal(t, "reply copy:"+rempl+" implicit-keep", brief(eval(p, d)))
	d.Time = time.Date(2026, 1, 5, 7, 0, 0, 0, time.UTC)
	require.Equal(t, "implicit-keep", brief(eval(p, d)))
	// And starts on 2025-12-20 at 18:00.
	d.Time = time.Date(2025, 12, 20, 17, 59, 59, 0, paris)
	require.Equal(t, "implicit-keep", brief(eval(p, d)))
}

func TestAbsenceReplySuppressed(t *testing.T) {
	p := compile(t, policy(winterAbsence()), Options{})
	at := time.Date(2025, 12, 24, 10, 0, 0, 0, paris)
	tests := []struct {
		name, from, headers, code string
	}{
		{"auto-submitted", drMartin, "Auto-Submitted: auto-replied\n", "auto-submitted"},
		{"mailing list", drMartin, "List-Id: <liste.chu-nantes.mssante.fr>\n", "mailing-list"},
		{"null sender", "", "", "null-sender"},
		{"untrusted sender", "someone@gmail.com", "", "untrusted-sender"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := parseMsg(t, "From: "+drMartin+"\nTo: "+mailbox+"\nSubject: x\n"+tt.headers+"\nbody\n")
			r := eval(p, Delivery{Message: m, EnvelopeFrom: tt.from, EnvelopeTo: mailbox, Time: at})
			require.Nil(t, r.Reply)
			require.NotNil(t, r.Suppressed, "%s", r)
			require.Equal(t, tt.code, r.Suppressed.Code)
			require.Equal(t, "copy:"+rempl+" implicit-keep", brief(r))
		})
	}
}

// The seed's filter: Roundcube writes "De est égal à X" as header :is
// "from", which fails on a From with a display name; the address test
// compares the address only.
func TestRedirectionSecretariat(t *testing.T) {
	r1 := rule("Redirection secrétariat",
		all(fromIs(drMartin), subjectHas("ordonnance", "résultats")),
		copyTo(gcs))
	p := compile(t, policy(r1), Options{})

	for subject, want := range map[string]string{
		"Résultats de Mme Durand":    "copy:" + gcs + " implicit-keep", // É folded to é
		"RÉSULTATS":                  "copy:" + gcs + " implicit-keep",
		"Votre ORDONNANCE":           "copy:" + gcs + " implicit-keep",
		"Invitation au congrès":      "implicit-keep",
		"=?UTF-8?Q?R=C3=A9sultats?=": "copy:" + gcs + " implicit-keep", // RFC 2047
	} {
		m := simpleMsg(t, `"Dr Martin" <`+drMartin+`>`, subject)
		require.Equal(t, want, brief(eval(p, deliver(m))), subject)
	}
	other := simpleMsg(t, `"Dr Dupont" <dr.dupont@chu-nantes.mssante.fr>`, "résultats")
	require.Equal(t, "implicit-keep", brief(eval(p, deliver(other))))

	// What Roundcube's export means: the whole header value.
	roundcube := compile(t, policy(rule("Roundcube", header("From", rules.Is, drMartin), copyTo(gcs))), Options{})
	require.Equal(t, "implicit-keep", brief(eval(roundcube, deliver(simpleMsg(t, `"Dr Martin" <`+drMartin+`>`, "x")))))
	require.Equal(t, "copy:"+gcs+" implicit-keep", brief(eval(roundcube, deliver(simpleMsg(t, drMartin, "x")))))
}

func TestPatientExchangeClosed(t *testing.T) {
	patients := rule("Patients",
		anyOf(
			&rules.AddressTest{Node: pos(), Field: rules.FieldFrom, Part: rules.PartDomain, Match: match(rules.Is, "patient.mssante.fr")},
			header("X-MSS-MES", rules.Is, "FIN"),
			subjectHas("[FIN]"),
		),
		fileInto("INBOX/Patients"), stop())
	after := rule("Tout le reste", nil, fileInto("INBOX/Autres"))
	p := compile(t, policy(patients, after), Options{})

	const ins = "1850775123456" + "78"
	tests := map[string]string{
		"From: " + ins + "@patient.mssante.fr\nTo: " + mailbox + "\nSubject: question\n\nBonjour\n":        "fileinto:INBOX/Patients",
		"From: " + drMartin + "\nTo: " + mailbox + "\nSubject: Re: suivi [FIN]\n\n":                        "fileinto:INBOX/Patients",
		"From: " + drMartin + "\nTo: " + mailbox + "\nSubject: Re: suivi\nX-MSS-MES: FIN\n\n":              "fileinto:INBOX/Patients",
		"From: " + drMartin + "\nTo: " + mailbox + "\nSubject: Re: suivi\nx-mss-mes: fin\n\n":              "fileinto:INBOX/Patients",
		"From: " + drMartin + "\nTo: " + mailbox + "\nSubject: Re: suivi FIN\nX-MSS-MES: FINAL\n\ntexte\n": "fileinto:INBOX/Autres",
	}
	for raw, want := range tests {
		r := eval(p, deliver(parseMsg(t, raw)))
		require.Equal(t, want, brief(r), "%s", strings.SplitN(raw, "\n\n", 2)[0])
	}
}

// Window boundaries at the DST changes of 2025 in Europe/Paris: bounds are
// wall-clock times in the policy's zone, converted to the right instants.
func TestWindowsAcrossDST(t *testing.T) {
	win := func(from, until *rules.Bound) *rules.Rule {
		return rule("w", &rules.BetweenTest{Node: pos(), Window: rules.Window{Node: pos(), From: from, Until: until}}, fileInto("W"))
	}
	utc := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		require.NoError(t, err)
		return tm
	}
	tests := []struct {
		name    string
		rule    *rules.Rule
		in, out []string
	}{
		// 2025-03-30: 02:00 CET jumps to 03:00 CEST. A bare end date
		// includes the whole (23-hour) day: it ends at 22:00 UTC, not at
		// 23:00 as a fixed +01:00 offset would say.
		{"spring end date", win(bound(2025, 3, 28), bound(2025, 3, 30)),
			[]string{"2025-03-27T23:00:00Z", "2025-03-30T21:59:59Z"},
			[]string{"2025-03-27T22:59:59Z", "2025-03-30T22:00:00Z"}},
		// A start at 02:30 on the spring day does not exist: it is 03:30 CEST.
		{"spring gap start", win(bound(2025, 3, 30, 2, 30), nil),
			[]string{"2025-03-30T01:30:00Z"},
			[]string{"2025-03-30T01:29:59Z"}},
		{"spring time bounds", win(bound(2025, 3, 30, 1, 0), bound(2025, 3, 30, 4, 0)),
			[]string{"2025-03-30T00:00:00Z", "2025-03-30T01:59:59Z"},
			[]string{"2025-03-29T23:59:59Z", "2025-03-30T02:00:00Z"}},
		// 2025-10-26: 03:00 CEST goes back to 02:00 CET; the day lasts 25
		// hours, from 22:00 UTC the day before to 23:00 UTC.
		{"autumn whole day", win(bound(2025, 10, 26), bound(2025, 10, 26)),
			[]string{"2025-10-25T22:00:00Z", "2025-10-26T22:59:59Z"},
			[]string{"2025-10-25T21:59:59Z", "2025-10-26T23:00:00Z"}},
		// 02:30 happens twice on the autumn day: Go's time.Date reads it as
		// the second occurrence, in winter time (01:30 UTC).
		{"autumn ambiguous start", win(bound(2025, 10, 26, 2, 30), nil),
			[]string{"2025-10-26T01:30:00Z"},
			[]string{"2025-10-26T01:29:59Z", "2025-10-26T00:30:00Z"}},
		{"autumn after change", win(bound(2025, 10, 26, 3, 0), bound(2025, 10, 27, 8, 0)),
			[]string{"2025-10-26T02:00:00Z", "2025-10-27T06:59:59Z"},
			[]string{"2025-10-26T01:59:59Z", "2025-10-27T07:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := compile(t, policy(tt.rule), Options{})
			d := deliver(simpleMsg(t, drMartin, "x"))
			for _, s := range tt.in {
				d.Time = utc(s)
				require.Equal(t, "fileinto:W", brief(eval(p, d)), s)
			}
			for _, s := range tt.out {
				d.Time = utc(s)
				require.Equal(t, "implicit-keep", brief(eval(p, d)), s)
			}
		})
	}
}

// Absence windows use the same conversion, in the policy's zone.
func TestAbsenceWindowInPolicyZone(t *testing.T) {
	v := winterAbsence()
	v.Windows = []rules.Window{{Node: pos(), From: bound(2025, 10, 26), Until: bound(2025, 10, 26)}}
	pol := policy(v)
	zone := lit("America/Guadeloupe") // UTC-4, no DST
	pol.Timezone = &zone
	p := compile(t, pol, Options{})
	d := deliver(simpleMsg(t, drMartin, "x"))
	d.Time = time.Date(2025, 10, 26, 3, 59, 0, 0, time.UTC) // 23:59 on the 25th there
	require.Equal(t, "implicit-keep", brief(eval(p, d)))
	d.Time = time.Date(2025, 10, 26, 4, 0, 0, 0, time.UTC)
	require.Equal(t, "reply copy:"+rempl+" implicit-keep", brief(eval(p, d)))
	d.Time = time.Date(2025, 10, 27, 3, 59, 0, 0, time.UTC)
	require.Equal(t, "copy:"+rempl+" implicit-keep", brief(eval(p, d)))
	d.Time = time.Date(2025, 10, 27, 4, 0, 0, 0, time.UTC)
	require.Equal(t, "implicit-keep", brief(eval(p, d)))
}

func TestDuringAcrossDST(t *testing.T) {
	sun := rules.Weekdays(0).With(time.Sunday)
	closed := rule("nuit", &rules.DuringTest{Node: pos(), Spans: []rules.WeeklySpan{{Node: pos(), Days: sun, Start: rules.Clock{Hour: 2}, End: rules.Clock{Hour: 3}}}}, flagAction("$Nuit"))
	p := compile(t, policy(closed), Options{})
	d := deliver(simpleMsg(t, drMartin, "x"))
	count := func(day time.Time) int {
		n := 0
		for tm := day; tm.Before(day.Add(26 * time.Hour)); tm = tm.Add(10 * time.Minute) {
			d.Time = tm
			if len(eval(p, d).Actions) > 0 {
				n++
			}
		}
		return n
	}
	// 02:00–03:00 does not exist on 2025-03-30 and happens twice on 2025-10-26.
	require.Equal(t, 0, count(time.Date(2025, 3, 29, 22, 0, 0, 0, time.UTC)))
	require.Equal(t, 12, count(time.Date(2025, 10, 25, 22, 0, 0, 0, time.UTC)))
	require.Equal(t, 6, count(time.Date(2025, 10, 18, 22, 0, 0, 0, time.UTC)))
}
