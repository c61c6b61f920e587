package engine_test

import (
	"slices"
	"testing"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/internal/casefile"
	"github.com/tamis-mss/tamis/internal/casetest"
	"github.com/tamis-mss/tamis/internal/oracle"
)

// engineLines, oracleLines and lineDiff write outcomes in the comparison
// form of internal/casetest, for the engine's tests that run Pigeonhole
// outside the case corpus.
func engineLines(res engine.Result, execute bool) []string { return casetest.EngineLines(res, execute) }

func oracleLines(o oracle.Outcome, execute bool) []string {
	return casetest.PigeonholeLines(o, execute)
}

func lineDiff(a, b []string) string { return casefile.Diff(a, b) }

// TestOracleNormalise checks both normalisations on outcomes that must
// compare equal: a copy that keeps, a vacation sent.
func TestOracleNormalise(t *testing.T) {
	o := oracle.Outcome{
		Actions: []oracle.Action{
			{Kind: oracle.KindRedirect, Target: "secretariat@ESANTEPDL.mssante.fr", Copy: true},
			{Kind: oracle.KindVacation},
		},
		ImplicitKeep: true,
		Vacation: &oracle.VacationOutcome{Seconds: 604800, Body: "Je suis absent.\r\nRetour le 15.\n", Decided: true, Sent: true, To: "x@medecin.mssante.fr",
			Reply: &oracle.SentReply{From: "me@medecin.mssante.fr", Subject: "Auto: Bonjour", InReplyTo: "<a@b>"}},
	}
	want := []string{`redirect "secretariat@esantepdl.mssante.fr" :copy`, "vacation sent to x@medecin.mssante.fr", `vacation every 604800s subject "Auto: Bonjour"`,
		`vacation text "Je suis absent.\nRetour le 15."`, "vacation from me@medecin.mssante.fr in reply to <a@b>", "implicit keep"}
	if got := oracleLines(o, true); !slices.Equal(got, want) {
		t.Fatalf("oracleLines:\n%s", lineDiff(want, got))
	}
	o.Vacation = &oracle.VacationOutcome{Seconds: 604800, Subject: "Absent", Decided: true, Reason: "discarding vacation response to mailinglist recipient <x@medecin.mssante.fr>"}
	want = []string{`redirect "secretariat@esantepdl.mssante.fr" :copy`, "vacation suppressed (mailing-list)", "implicit keep"}
	if got := oracleLines(o, true); !slices.Equal(got, want) {
		t.Fatalf("oracleLines, suppressed:\n%s", lineDiff(want, got))
	}
	res := engine.Result{
		ImplicitKeep: true,
		Suppressed:   &engine.Suppressed{Code: "mailing-list"},
	}
	if got := engineLines(res, true); !slices.Equal(got, []string{"vacation suppressed (mailing-list)", "implicit keep"}) {
		t.Fatalf("engineLines: %q", got)
	}
	if got := engineLines(res, false); !slices.Equal(got, []string{"vacation planned", "implicit keep"}) {
		t.Fatalf("engineLines without execute: %q", got)
	}
}
