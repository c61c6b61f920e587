package engine

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/rules"
)

// TestDamageIsScoped checks point 1 of issue 10: a reading problem makes
// unreliable only the header field or the body it concerns. A condition
// that reads a damaged value does not apply and is reported, the implicit
// keep holds, and every other statement runs.
func TestDamageIsScoped(t *testing.T) {
	secretariat := rule("Secrétariat", fromIs(drMartin), copyTo(gcs))
	ccRule := rule("Copie Cc", &rules.AddressTest{Node: pos(), Field: rules.FieldHeader, Headers: rules.Lits("Cc"), Match: match(rules.Contains, "labo")}, discard())
	bodyRule := rule("Urgences", &rules.BodyTest{Node: pos(), Match: match(rules.Contains, "urgence")}, fileInto("Urgences"))
	p := compile(t, policy(secretariat, ccRule, bodyRule), Options{})

	t.Run("malformed Cc", func(t *testing.T) {
		m := parseMsg(t, "From: \"Dr Martin\" <"+drMartin+">\nTo: "+mailbox+"\nCc: <<labo@\nSubject: CR\n\nurgence\n")
		require.NotEmpty(t, m.Problems())
		r := eval(p, deliver(m))
		// The copy to the secretariat goes (From is intact), the body rule
		// files; the Cc rule does not apply, reported; the keep holds.
		require.Equal(t, "copy:"+gcs+" fileinto:Urgences implicit-keep", brief(r), "%s", r)
		require.Len(t, r.Damaged, 1)
		require.Equal(t, "Copie Cc", r.Damaged[0].Rule)
		require.Equal(t, "Cc", r.Damaged[0].Field)
		require.Contains(t, r.Summary(), "damaged: ")
	})
	t.Run("unknown charset", func(t *testing.T) {
		m := parseMsg(t, "From: "+drMartin+"\nTo: "+mailbox+"\nSubject: CR\nContent-Type: text/plain; charset=x-klingon\n\nurgence\n")
		r := eval(p, deliver(m))
		require.Equal(t, "copy:"+gcs+" implicit-keep", brief(r), "%s", r)
		require.Len(t, r.Damaged, 1)
		require.Equal(t, "body", r.Damaged[0].Field)
		require.Equal(t, "Urgences", r.Damaged[0].Rule)
	})
	t.Run("oversized header", func(t *testing.T) {
		m := parseMsg(t, "From: "+drMartin+"\nTo: "+mailbox+"\nX-Big: "+strings.Repeat("a", 300<<10)+"\nSubject: x\n\nurgence\n")
		r := eval(p, deliver(m))
		// The whole header is unreliable, and with it how the body is read
		// (its Content-Type may be in the part cut off): every test fails
		// safe, each reported.
		require.Equal(t, "implicit-keep", brief(r), "%s", r)
		require.Len(t, r.Damaged, 3)
	})
	t.Run("a body cut at the size limit is read, flagged", func(t *testing.T) {
		body := strings.Repeat("compte rendu\n", (1<<20)/13+10) + "urgence\n"
		m := parseMsg(t, "From: "+drMartin+"\nTo: "+mailbox+"\nSubject: x\n\nurgence au début\n"+body)
		r := eval(p, deliver(m))
		require.True(t, r.BodyTruncated)
		require.Empty(t, r.Damaged)
		require.Equal(t, "copy:"+gcs+" fileinto:Urgences", brief(r), "%s", r)
	})
	t.Run("traced", func(t *testing.T) {
		m := parseMsg(t, "From: "+drMartin+"\nTo: "+mailbox+"\nCc: <<labo@\nSubject: CR\n\nx\n")
		d := deliver(m)
		d.Trace = true
		r := eval(p, d)
		require.Contains(t, r.TraceString(), "not tested (damaged value)")
	})
}

// TestDamagedReply checks that the absence reply is suppressed only when
// something it depends on is damaged.
func TestDamagedReply(t *testing.T) {
	p := compile(t, policy(winterAbsence()), Options{})
	// A damaged body: the reply goes.
	m := parseMsg(t, "From: "+drMartin+"\nTo: "+mailbox+"\nSubject: CR\nContent-Type: text/plain; charset=x-klingon\n\nx\n")
	r := eval(p, inAbsence(m))
	require.NotNil(t, r.Reply, "%s", r)
	// A damaged To: the reply is withheld (is the holder addressed?), the
	// copy to the replacement goes.
	m = parseMsg(t, "From: "+drMartin+"\nTo: "+mailbox+", <<x@\nSubject: CR2\n\nx\n")
	r = eval(p, inAbsence(m))
	require.Nil(t, r.Reply)
	require.Equal(t, CodeDamaged, r.Suppressed.Code, "%s", r)
	require.Equal(t, "copy:"+rempl+" implicit-keep", brief(r))
}
