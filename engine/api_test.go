package engine

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/rules"
)

func TestProgramAccessors(t *testing.T) {
	pol := policy(winterAbsence(), rule("r", nil, keep()))
	z := lit("Europe/Paris")
	pol.Timezone = &z
	ts := trust(t)
	p := compile(t, pol, Options{Trust: ts})
	require.Equal(t, mailbox, p.Mailbox())
	require.Equal(t, "Europe/Paris", p.Location().String())
	require.Same(t, ts.List(), p.TrustList())
	require.Equal(t, 2, p.Len())
}

func TestKept(t *testing.T) {
	p := compile(t, policy(rule("a", nil, discard()), rule("b", header("Subject", rules.Is, "garder"), keep())), Options{})
	r := eval(p, deliver(simpleMsg(t, drMartin, "garder")))
	require.False(t, r.ImplicitKeep)
	require.True(t, r.Kept())
	r = eval(p, deliver(simpleMsg(t, drMartin, "jeter")))
	require.False(t, r.Kept())
	require.True(t, Result{ImplicitKeep: true}.Kept())
}

func TestActionKindJSON(t *testing.T) {
	b, err := json.Marshal([]ActionKind{ActionKeep, ActionDiscard, ActionReject, ActionReroute, ActionCopy, ActionFileInto, ActionFlag, ActionReply, ActionKind(99)})
	require.NoError(t, err)
	require.Equal(t, `["keep","discard","reject","reroute","copy","fileinto","flag","reply","invalid"]`, string(b))
}

func TestEvalErrorUnwraps(t *testing.T) {
	cause := errors.New("cause")
	e := &EvalError{Rule: "r", Range: rules.Range{File: "f.rules", Start: rules.Pos{Line: 3, Column: 5}}, Err: cause}
	require.ErrorIs(t, e, cause)
	require.Equal(t, `f.rules:3:5: "r": cause`, e.Error())
	require.Equal(t, "f.rules: cause", (&EvalError{Range: rules.Range{File: "f.rules"}, Err: cause}).Error())
}

// Without a delivery time, the injected clock decides.
func TestInjectedClock(t *testing.T) {
	now := time.Date(2025, 12, 24, 10, 0, 0, 0, paris)
	p := compile(t, policy(winterAbsence()), Options{Now: func() time.Time { return now }})
	d := deliver(simpleMsg(t, drMartin, "x"))
	d.Time = time.Time{}
	require.Equal(t, "reply copy:"+rempl+" implicit-keep", brief(eval(p, d)))
	now = time.Date(2026, 2, 1, 10, 0, 0, 0, paris)
	require.Equal(t, "implicit-keep", brief(eval(p, d)))
}
