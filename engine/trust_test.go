package engine

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/internal/testenv"
	"github.com/tamis-mss/tamis/mssante"
	"github.com/tamis-mss/tamis/rules"
)

func TestCompileRefusesTargets(t *testing.T) {
	tests := []struct {
		target string
		code   rules.Code
		hint   string
	}{
		{"secretariat@gmail.com", rules.CodeOutsideTrustSpace, ""},
		{"secretariat@mssanté.fr", rules.CodeOutsideTrustSpace, ""},
		{"secretariat@chu-nantes.mssanté.fr", rules.CodeOutsideTrustSpace, `did you mean "secretariat@chu-nantes.mssante.fr"?`},
		{"185077512345678@patient.mssante.fr", rules.CodePatientTarget, ""},
		{mailbox, rules.CodeSelfTarget, ""},
		{"a.martin@medecin.mssante.fr", rules.CodeSelfTarget, ""}, // an "also" address
		{`"Dr X" <x@medecin.mssante.fr>`, rules.CodeInvalidAddress, ""},
		{"x@medecin.mssante.fr, y@medecin.mssante.fr", rules.CodeInvalidAddress, ""},
		{"x%y@medecin.mssante.fr", rules.CodeInvalidAddress, ""},
		{"x@medecin.mssante.fr\r\nBcc: evil@gmail.com", rules.CodeInvalidAddress, ""},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			target := lit(tt.target)
			pol := policy(rule("r", nil, &rules.Reroute{Node: pos(), Target: target}))
			pol.Also = []rules.Literal{rules.Lit("a.martin@medecin.mssante.fr")}
			prog, diags := Compile(pol, Options{Trust: trust(t)})
			require.Nil(t, prog)
			require.True(t, diags.HasErrors())
			var d rules.Diagnostic
			for _, x := range diags {
				if x.Severity == rules.Error {
					d = x
					break
				}
			}
			require.Equal(t, tt.code, d.Code, "%v", diags)
			require.Equal(t, target.Range, d.Range)
			if tt.hint != "" {
				require.Equal(t, tt.hint, d.Hint)
			}
		})
	}
}

func TestCompileRefusesReplyFrom(t *testing.T) {
	v := winterAbsence()
	from := lit("cabinet@gmail.com")
	v.Reply.From = &from
	_, diags := Compile(policy(v), Options{Trust: trust(t)})
	require.True(t, diags.HasErrors())
	require.Equal(t, rules.CodeOutsideTrustSpace, diags[0].Code)
	require.Equal(t, from.Range, diags[0].Range)

	// The holder's own addresses and trusted ones are accepted.
	for _, ok := range []string{mailbox, "secretariat@chu-nantes.mssante.fr"} {
		v := winterAbsence()
		from := lit(ok)
		v.Reply.From = &from
		compile(t, policy(v), Options{})
	}
}

func TestCompileWithoutTrustWarns(t *testing.T) {
	prog, diags := Compile(policy(rule("r", nil, copyTo(gcs))), Options{})
	require.NotNil(t, prog)
	require.Len(t, diags, 1)
	require.Equal(t, rules.Warning, diags[0].Severity)
	require.Equal(t, rules.CodeUnverifiedTrust, diags[0].Code)

	// The fallback still refuses what is not *.mssante.fr.
	_, diags = Compile(policy(rule("r", nil, copyTo("x@mssante.fr"))), Options{})
	require.True(t, diags.HasErrors())
}

// A daily refresh may remove a domain: a compiled program then refuses the
// target at run time, reports it, keeps the message and sends nothing.
func TestTargetRefusedAfterRefresh(t *testing.T) {
	ts := trust(t)
	p := compile(t, policy(
		rule("Secrétariat", nil, reroute(gcs)),
		rule("Classement", nil, fileInto("INBOX/Suivi")),
	), Options{Trust: ts})
	d := deliver(simpleMsg(t, drMartin, "x"))
	require.Equal(t, "reroute:"+gcs+" fileinto:INBOX/Suivi", brief(eval(p, d)))

	partial, err := mssante.LoadList(testenv.TrustListPartial(t), testenv.TrustListPartialSHA256)
	require.NoError(t, err)
	require.False(t, partial.Contains("esantepdl.mssante.fr"))
	require.NoError(t, ts.Replace(partial))

	r := eval(p, d)
	require.Equal(t, "fileinto:INBOX/Suivi implicit-keep refused:"+gcs, brief(r), "%s", r)
	require.Equal(t, mssante.CodeOutsideTrustSpace, r.Refused[0].Code)
	require.Equal(t, "Secrétariat", r.Refused[0].Rule)
	require.Equal(t, ActionReroute, r.Refused[0].Kind)
	require.NotEmpty(t, r.Refused[0].Reason)
	require.Empty(t, r.Errors)
	require.Contains(t, r.Summary(), `refused reroute to "`+gcs+`": outside-trust-space: `)
	for _, a := range r.Actions {
		require.NotEqual(t, ActionReroute, a.Kind)
	}
}

// Without a mailbox in the policy or the options, the envelope recipient
// stands for it: a target equal to it is refused at run time.
func TestSelfTargetAtRunTime(t *testing.T) {
	pol := policy(rule("boucle", nil, reroute("secretariat@esantepdl.mssante.fr")))
	pol.Mailbox = nil
	p := compile(t, pol, Options{})
	d := deliver(simpleMsg(t, drMartin, "x"))
	d.EnvelopeTo = "secretariat@esantepdl.mssante.fr"
	r := eval(p, d)
	require.Equal(t, "implicit-keep refused:secretariat@esantepdl.mssante.fr", brief(r))
	require.Equal(t, mssante.CodeSelfTarget, r.Refused[0].Code)

	// Compared as mssante compares mailboxes: without case, without a
	// "+detail", with or without angle brackets.
	for _, rcpt := range []string{"<Secretariat+tamis@ESANTEPDL.mssante.fr>", " secretariat@esantepdl.mssante.fr "} {
		d.EnvelopeTo = rcpt
		require.Equal(t, "implicit-keep refused:secretariat@esantepdl.mssante.fr", brief(eval(p, d)), rcpt)
	}
	d.EnvelopeTo = "secretariat2@esantepdl.mssante.fr"
	require.Equal(t, "reroute:secretariat@esantepdl.mssante.fr", brief(eval(p, d)))
}

// Addresses the host gives with a delivery count as the holder's.
func TestDeliveryAddresses(t *testing.T) {
	p := compile(t, policy(rule("alias", nil, copyTo("cabinet.alias@esantepdl.mssante.fr"))), Options{})
	d := deliver(simpleMsg(t, drMartin, "x"))
	require.Equal(t, "copy:cabinet.alias@esantepdl.mssante.fr implicit-keep", brief(eval(p, d)))
	d.Addresses = []string{"cabinet.alias@esantepdl.mssante.fr"}
	r := eval(p, d)
	require.Equal(t, "implicit-keep refused:cabinet.alias@esantepdl.mssante.fr", brief(r))
	require.Equal(t, mssante.CodeSelfTarget, r.Refused[0].Code)

	// Mail written to the alias gets the absence reply, from the alias.
	v := compile(t, policy(winterAbsence()), Options{})
	d = inAbsence(parseMsg(t, "From: "+drMartin+"\nTo: cabinet.alias@esantepdl.mssante.fr\nSubject: x\n\nx\n"))
	require.Equal(t, "not-addressed", eval(v, d).Suppressed.Code)
	d.Addresses = []string{"cabinet.alias@esantepdl.mssante.fr"}
	d.EnvelopeFrom = "secretariat@chu-nantes.mssante.fr"
	r = eval(v, d)
	require.NotNil(t, r.Reply, "%s", r)
	require.Equal(t, "cabinet.alias@esantepdl.mssante.fr", r.Reply.From)
}
