package engine

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/engine/vacation"
)

// TestRecompileKeepsReplyHistory checks that reply history lives in the
// host's tracker, not in the Program: a policy recompiled after an edit
// does not answer again a sender who already had the reply.
func TestRecompileKeepsReplyHistory(t *testing.T) {
	tracker := vacation.NewMemoryTracker(0)
	d := inAbsence(simpleMsg(t, drMartin, "Résultats"))
	first := compile(t, policy(winterAbsence()), Options{Tracker: tracker})
	require.NotNil(t, eval(first, d).Reply)

	// The same policy, with a rule added: a new Program.
	second := compile(t, policy(winterAbsence(), rule("Labo", fromIs("labo@chu-nantes.mssante.fr"), fileInto("Labo"))), Options{Tracker: tracker})
	r := eval(second, d)
	require.Nil(t, r.Reply, "%s", r)
	require.Equal(t, "already-replied", r.Suppressed.Code)
}

// TestDryRunClaimsNothing checks that a preview decides and builds the
// reply without using the sender's reply slot, traced or not.
func TestDryRunClaimsNothing(t *testing.T) {
	rec := &recordingTracker{}
	p := compile(t, policy(winterAbsence()), Options{Tracker: rec})
	d := inAbsence(simpleMsg(t, drMartin, "Résultats"))
	d.DryRun = true
	for _, trace := range []bool{false, true} {
		d.Trace = trace
		r := eval(p, d)
		require.NotNil(t, r.Reply, "%s", r)
		require.True(t, r.Reply.DryRun)
		require.NotEmpty(t, r.Reply.Bytes)
		require.Equal(t, trace, len(r.Trace) > 0)
	}
	require.Empty(t, rec.claims, "a dry run claimed a reply slot")

	// The real delivery afterwards still gets its reply.
	d.DryRun, d.Trace = false, false
	r := eval(p, d)
	require.NotNil(t, r.Reply)
	require.False(t, r.Reply.DryRun)
	require.Len(t, rec.claims, 1)
}

// TestTrackerPerDelivery checks that Delivery.Tracker overrides
// Options.Tracker, and that a reply without any tracker fails safe.
func TestTrackerPerDelivery(t *testing.T) {
	p := compile(t, policy(winterAbsence()), Options{Tracker: failingTracker{}})
	d := inAbsence(simpleMsg(t, drMartin, "Résultats"))
	rec := &recordingTracker{}
	d.Tracker = rec
	require.NotNil(t, eval(p, d).Reply)
	require.Len(t, rec.claims, 1)

	none, diags := Compile(context.Background(), policy(winterAbsence()), Options{Trust: trust(t)})
	require.False(t, diags.HasErrors(), "a Program that is only checked needs no tracker")
	r := eval(none, inAbsence(simpleMsg(t, drMartin, "Résultats")))
	require.Nil(t, r.Reply)
	require.True(t, r.ImplicitKeep)
	require.Empty(t, r.Actions, "fail-safe: no other action")
	require.Len(t, r.Errors, 1)
	require.True(t, errors.Is(r.Errors[0], ErrNoTracker), "%v", r.Errors[0])

	// Outside the absence, no tracker is needed.
	require.Empty(t, eval(none, deliver(simpleMsg(t, drMartin, "Résultats"))).Errors)
}
