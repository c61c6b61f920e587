package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/internal/casefile"
	"github.com/tamis-mss/tamis/parser"
	"github.com/tamis-mss/tamis/rules"
)

// A result with a refusal cannot come from the CLI (it compiles and runs
// against the same list); the output of one is checked on a result built
// by hand.
func TestRunOutputOfRefusalsAndErrors(t *testing.T) {
	p, diags := parser.Parse("p.rules", []byte("mailbox \"cabinet.lilas@esantepdl.mssante.fr\"\nrule \"Copie\" {\n    copy to \"secretariat.lilas@esantepdl.mssante.fr\"\n}\n"), parser.DefaultOptions())
	require.Empty(t, diags)
	prog, diags := engine.Compile(context.Background(), p, engine.DefaultOptions())
	require.False(t, diags.HasErrors())
	res := engine.Result{
		ImplicitKeep: true,
		Refused: []engine.Refused{{
			Kind: engine.ActionCopy, Target: "secretariat.lilas@esantepdl.mssante.fr", Code: "outside-trust-space",
			Reason: "the domain left the trust list", Rule: "Copie",
		}},
		Suppressed: &engine.Suppressed{Code: "mailing-list", Reason: "a List-Id field", Rule: "Copie"},
		Errors:     []error{errors.New("tracker unavailable")},
	}
	d := engine.Delivery{EnvelopeFrom: "<>", EnvelopeTo: "cabinet.lilas@esantepdl.mssante.fr", Time: time.Date(2025, 7, 1, 8, 0, 0, 0, time.UTC)}

	var out bytes.Buffer
	r := &runner{env: &cliEnv{stdout: &out}, prog: prog, kinds: casefile.StatementKinds(p)}
	r.writeText("m.eml", d, res)
	require.Equal(t, `m.eml  (from <> (null sender), to cabinet.lilas@esantepdl.mssante.fr, at Tue 2025-07-01 10:00 CEST)
  keep (implicit): the message is stored in the inbox
  no reply (mailing-list): a List-Id field
  REFUSED copy to "secretariat.lilas@esantepdl.mssante.fr": the domain left the trust list (outside-trust-space)
  ERROR tracker unavailable
`, out.String())

	out.Reset()
	r.writeJSON("m.eml", d, res)
	require.Equal(t, 1, strings.Count(out.String(), "\n"))
	var m jsonMessage
	require.NoError(t, json.Unmarshal(out.Bytes(), &m))
	require.Equal(t, "", m.Envelope.From, "the null sender is an empty string")
	require.Equal(t, []jsonRefused{{Action: "copy", Target: "secretariat.lilas@esantepdl.mssante.fr", Code: "outside-trust-space",
		Reason: "the domain left the trust list", Rule: "Copie"}}, m.Refused)
	require.Equal(t, &jsonSuppressd{Code: "mailing-list", Reason: "a List-Id field", Rule: "Copie"}, m.Suppressed)
	require.Equal(t, []string{"tracker unavailable"}, m.Errors)
	require.True(t, m.ImplicitKeep)
	require.Empty(t, m.Actions)
	require.Nil(t, m.Reply)
}

func TestProgressLine(t *testing.T) {
	var buf bytes.Buffer
	require.Nil(t, newProgress(&buf, 10).w, "no progress line when stderr is not a terminal")
	p := &progress{w: &buf, total: 3}
	p.update(1)
	p.update(2) // within 100 ms of the previous one: not drawn
	p.clear()
	p.clear()
	require.Equal(t, "\rtamis run: 1/3 messages\r\033[K", buf.String())
}

// explain gives the same reasons whether the trace records a negation as
// its own step or only its operand.
func TestExplainNegations(t *testing.T) {
	src := "rule \"Nuit\" {\n    when all {\n        not during mon-fri 08:00-19:00\n        subject contains \"urgent\"\n    }\n    discard\n}\n"
	p, diags := parser.Parse("p.rules", []byte(src), parser.DefaultOptions())
	require.Empty(t, diags)
	all := conditions(p)["Nuit"].(*rules.All)
	not := all.Conds[0].(*rules.Not)
	key := func(c rules.Condition) [2]int { return [2]int{c.Source().Start.Offset, c.Source().End.Offset} }
	during := engine.ConditionStep{Condition: "during mon-fri 08:00-19:00", Range: not.Cond.Source(), Matched: false}
	subject := engine.ConditionStep{Condition: `subject contains "urgent"`, Range: all.Conds[1].Source(), Matched: true}
	want := []string{"not during mon-fri 08:00-19:00", `subject contains "urgent"`}

	leavesOnly := map[[2]int]engine.ConditionStep{key(not.Cond): during, key(all.Conds[1]): subject}
	require.Equal(t, want, explain(all, false, leavesOnly))

	withNot := map[[2]int]engine.ConditionStep{key(not.Cond): during, key(all.Conds[1]): subject,
		key(not): {Condition: "not during mon-fri 08:00-19:00", Range: not.Source(), Matched: true}}
	require.Equal(t, want, explain(all, false, withNot))

	// A condition that was not tested explains nothing.
	require.Empty(t, explain(all, false, map[[2]int]engine.ConditionStep{}))
}
