package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/parser"
	"github.com/tamis-mss/tamis/rules"
)

// parsePolicy parses a policy written in the language.
func parsePolicy(t testing.TB, src string) *rules.Policy {
	t.Helper()
	p, diags := parser.Parse("policy.rules", []byte(src), parser.DefaultOptions())
	require.False(t, diags.HasErrors(), "%s", diags.Error())
	return p
}

// explanations maps each statement's name to its explanation.
func explanations(t testing.TB, r Result) map[string]Explanation {
	t.Helper()
	m := map[string]Explanation{}
	for _, e := range r.Explanations {
		m[e.Rule] = e
	}
	return m
}

const explainPolicy = `mailbox "` + mailbox + `"
vacation "Congés" {
    from 2025-12-20 18:00 until 2026-01-05 08:00
    reply "Le cabinet est fermé."
}
vacation "Fermeture" {
    reply "Fermé."
}
vacation "Doublon" {
    from 2025-12-20 until 2026-01-05
    reply "Fermé aussi."
}
rule "Secrétariat" {
    when all {
        from is "dr.martin@chu-nantes.mssante.fr"
        subject contains any ["ordonnance", "résultats"]
    }
    copy to "gcs.mssante@esantepdl.mssante.fr"
}
rule "Patients" {
    when any { from domain is "patient.mssante.fr"; header "X-MSS-MES" is "FIN" }
    file into "INBOX/Patients"
}
rule "Pas urgent" {
    when not subject contains "urgent"
    flag "$Normal"
}
rule "Éteinte" disabled {
    discard
}
rule "Fin" {
    stop
}
rule "Après" {
    discard
}
`

func TestExplanations(t *testing.T) {
	p := compile(t, parsePolicy(t, explainPolicy), Options{})
	d := deliver(simpleMsg(t, `"Dr Martin" <`+drMartin+`>`, "Résultats de Mme Durand"))
	d.Time = time.Date(2025, 12, 24, 10, 0, 0, 0, paris)
	d.DryRun = true // both evaluations reply

	plain := eval(p, d)
	require.Nil(t, plain.Explanations, "not asked for")
	for _, a := range plain.Actions {
		require.Nil(t, a.Because, "not asked for")
	}

	d.Explain = true
	r := eval(p, d)
	require.Equal(t, brief(plain), brief(r), "explaining changes nothing")
	names := []string{}
	for _, e := range r.Explanations {
		names = append(names, e.Rule)
	}
	require.Equal(t, []string{"Congés", "Fermeture", "Doublon", "Secrétariat", "Patients", "Pas urgent", "Éteinte", "Fin", "Après"}, names, "every statement, in source order")
	e := explanations(t, r)

	// The copy: both conditions that held, with the values compared.
	var copyAct *Action
	for i := range r.Actions {
		if r.Actions[i].Kind == ActionCopy {
			copyAct = &r.Actions[i]
		}
	}
	require.NotNil(t, copyAct)
	require.False(t, copyAct.Vacation)
	require.Equal(t, []Evidence{
		{Condition: `from is "` + drMartin + `"`, Range: copyAct.Because[0].Range, Held: true, Values: []string{drMartin}},
		{Condition: `subject contains ["ordonnance", "résultats"]`, Range: copyAct.Because[1].Range, Held: true, Values: []string{"Résultats de Mme Durand"}},
	}, copyAct.Because)
	require.Equal(t, OutcomeApplied, e["Secrétariat"].Outcome)

	// The absence block that answered: its window, with the time.
	congés := e["Congés"]
	require.Equal(t, OutcomeApplied, congés.Outcome)
	require.Equal(t, "from 2025-12-20 18:00 until 2026-01-05 08:00", congés.Conditions[0].Condition)
	require.Equal(t, []string{"Wed 2025-12-24 10:00 CET"}, congés.Conditions[0].Values)
	require.True(t, congés.Conditions[0].Window)
	require.Empty(t, congés.ShadowedBy)
	// The two later absence blocks applied too, but one reply per message.
	require.Equal(t, "Congés", e["Fermeture"].ShadowedBy)
	require.Equal(t, "Congés", e["Doublon"].ShadowedBy)

	// Why not: the any whose operands all failed, with the values seen.
	pat := e["Patients"]
	require.Equal(t, OutcomeNotApplied, pat.Outcome)
	require.Len(t, pat.Conditions, 2)
	require.Equal(t, []string{"chu-nantes.mssante.fr"}, pat.Conditions[0].Values)
	require.False(t, pat.Conditions[0].Held)
	require.Empty(t, pat.Conditions[1].Values, "no X-MSS-MES field")
	require.Contains(t, pat.String(), `(seen "chu-nantes.mssante.fr")`)

	// A negation: the "not" is the evidence, with its operand's values.
	nu := e["Pas urgent"]
	require.Equal(t, OutcomeApplied, nu.Outcome)
	require.Equal(t, []Evidence{{Condition: `not subject contains "urgent"`, Range: nu.Conditions[0].Range, Held: true,
		Values: []string{"Résultats de Mme Durand"}}}, nu.Conditions)

	require.Equal(t, OutcomeDisabled, e["Éteinte"].Outcome)
	require.Equal(t, OutcomeApplied, e["Fin"].Outcome)
	require.Equal(t, OutcomeNotReached, e["Après"].Outcome)
	require.Equal(t, "Fin", e["Après"].StoppedBy)

	// Outside the windows, the time seen; the reply already sent is
	// suppressed, and the explanation says so.
	d.Time = time.Date(2026, 2, 1, 10, 0, 0, 0, paris)
	d.DryRun = false
	require.NotNil(t, eval(p, d).Reply)
	r = eval(p, d)
	e = explanations(t, r)
	require.Equal(t, OutcomeOutsideWindows, e["Congés"].Outcome)
	require.Equal(t, []string{"Sun 2026-02-01 10:00 CET"}, e["Congés"].Conditions[0].Values)
	require.False(t, e["Congés"].Conditions[0].Held)
	require.Equal(t, OutcomeApplied, e["Fermeture"].Outcome)
	require.NotNil(t, r.Suppressed)
	require.Equal(t, r.Suppressed, e["Fermeture"].Suppressed)
	require.Contains(t, r.ExplanationString(), `vacation "Fermeture" at policy.rules:`)
}

// TestExplanationsOfTheIndex checks that explaining does not change which
// statements run: the rules the "from is" index skips are explained by
// their "from is" test and the addresses the message carried.
func TestExplanationsOfTheIndex(t *testing.T) {
	p := compile(t, fromRules(10), Options{})
	require.NotNil(t, p.fromIndex, "indexed")
	m := simpleMsg(t, "correspondant3@chu-nantes.mssante.fr", "Bonjour")
	d := Delivery{Message: m, EnvelopeFrom: "correspondant3@chu-nantes.mssante.fr", EnvelopeTo: mailbox, Time: jan6, Explain: true, Trace: true}
	r := eval(p, d)
	require.Len(t, r.Explanations, 11)
	for _, e := range r.Explanations[1:] {
		if e.Rule == "r3" {
			require.Equal(t, OutcomeApplied, e.Outcome)
			continue
		}
		require.Equal(t, OutcomeNotApplied, e.Outcome, e.Rule)
		require.Equal(t, []Evidence{{Condition: fmt.Sprintf(`from is "correspondant%s@chu-nantes.mssante.fr"`, strings.TrimPrefix(e.Rule, "r")),
			Range: e.Conditions[0].Range, Values: []string{"correspondant3@chu-nantes.mssante.fr"}}}, e.Conditions)
	}
	indexed := 0
	for _, s := range r.Trace {
		if s.Indexed {
			indexed++
			require.False(t, s.Matched)
		}
	}
	require.Equal(t, 9, indexed, "the trace shows what the index skipped\n%s", r.TraceString())
}

func TestExplainedKeepPathStaysFreeWithoutExplain(t *testing.T) {
	p := compile(t, typicalPolicy(), Options{})
	m := parseMsg(t, typicalRaw)
	d := Delivery{Message: m, EnvelopeFrom: "dr.dupont@chu-nantes.mssante.fr", EnvelopeTo: mailbox, Time: jan6}
	ctx := context.Background()
	if !raceEnabled { // allocation counts are meaningless under -race
		require.Zero(t, testing.AllocsPerRun(100, func() { p.Evaluate(ctx, d) }))
	}
	d.Explain = true
	r := p.Evaluate(ctx, d)
	require.Len(t, r.Explanations, p.Len())
	require.True(t, r.ImplicitKeep)
}

// A statement that read a damaged value is explained as damaged, with the
// condition not tested; the other statements as usual.
func TestExplanationsOfDamage(t *testing.T) {
	ccRule := rule("Copie Cc", &rules.AddressTest{Node: pos(), Field: rules.FieldHeader, Headers: rules.Lits("Cc"), Match: match(rules.Contains, "labo")}, discard())
	p := compile(t, policy(ccRule, rule("Martin", fromIs(drMartin), fileInto("INBOX/Martin"))), Options{})
	m := parseMsg(t, "From: \"Dr Martin\" <"+drMartin+">\nTo: "+mailbox+"\nCc: <<labo@\nSubject: CR\n\nurgence\n")
	d := deliver(m)
	d.Explain = true
	r := eval(p, d)
	e := explanations(t, r)
	require.Equal(t, OutcomeDamaged, e["Copie Cc"].Outcome)
	require.Len(t, e["Copie Cc"].Conditions, 1)
	require.True(t, e["Copie Cc"].Conditions[0].Damaged)
	require.Equal(t, OutcomeApplied, e["Martin"].Outcome)
	require.Equal(t, []string{drMartin}, e["Martin"].Conditions[0].Values)
}
