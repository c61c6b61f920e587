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
	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/parser"
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
	r := &runner{env: &cliEnv{stdout: &out}, prog: prog}
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

// whyNot says why each statement did not act, from the engine's
// explanations, with the values seen quoted: a control character of a
// message does not reach the terminal raw.
func TestWhyNot(t *testing.T) {
	src := "rule \"Nuit\" {\n    when all {\n        not during mon-fri 08:00-19:00\n        subject contains \"urgent\"\n    }\n    discard\n}\n" +
		"rule \"Fin\" {\n    stop\n}\nrule \"Après\" {\n    discard\n}\n"
	p, diags := parser.Parse("p.rules", []byte(src), parser.DefaultOptions())
	require.Empty(t, diags)
	prog, cdiags := engine.Compile(context.Background(), p, engine.DefaultOptions())
	require.False(t, cdiags.HasErrors())
	msg, err := message.Parse([]byte("From: a@b.mssante.fr\r\nSubject: =?utf-8?q?urgent=1B[31m?=\r\n\r\nx\r\n"), message.DefaultOptions())
	require.NoError(t, err)
	res := prog.Evaluate(context.Background(), engine.Delivery{Message: msg, EnvelopeFrom: "a@b.mssante.fr",
		EnvelopeTo: "c@d.mssante.fr", Time: time.Date(2025, 7, 1, 10, 0, 0, 0, time.UTC), Explain: true})
	var out bytes.Buffer
	writeWhyNot(&out, nil, res, "  ")
	require.Equal(t, "  did not act:\n"+
		"    rule \"Nuit\" (p.rules:1:1): not during mon-fri 08:00-19:00 is false (seen \"Tue 2025-07-01 12:00 CEST\")\n"+
		"    rule \"Après\" (p.rules:11:1): not reached: \"Fin\" stopped the evaluation\n", out.String())

	res = prog.Evaluate(context.Background(), engine.Delivery{Message: msg, EnvelopeFrom: "a@b.mssante.fr",
		EnvelopeTo: "c@d.mssante.fr", Time: time.Date(2025, 7, 5, 23, 0, 0, 0, time.UTC), Explain: true})
	require.Len(t, res.Actions, 1)
	require.Equal(t, `not during mon-fri 08:00-19:00 (seen "Sun 2025-07-06 01:00 CEST"); subject contains "urgent" (seen "urgent\x1b[31m")`,
		because(nil, res.Actions[0].Because))
}
