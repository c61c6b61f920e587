package engine

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/rules"
)

// brief is a position-free summary of a result: the actions in order, then
// "implicit-keep" when it holds, then "error" when there are errors.
func brief(r Result) string {
	var parts []string
	for _, a := range r.Actions {
		s := a.Kind.String()
		switch a.Kind {
		case ActionReroute, ActionCopy:
			s += ":" + a.Target.String()
		case ActionFileInto:
			s += ":" + a.Folder
		case ActionReject:
			s += ":" + a.Reason
		case ActionFlag:
			s += ":" + strings.Join(a.Flags, ",")
		}
		parts = append(parts, s)
	}
	if r.ImplicitKeep {
		parts = append(parts, "implicit-keep")
	}
	for _, f := range r.Refused {
		parts = append(parts, "refused:"+f.Target)
	}
	if len(r.Errors) > 0 {
		parts = append(parts, "error")
	}
	return strings.Join(parts, " ")
}

const (
	drMartin = "dr.martin@chu-nantes.mssante.fr"
	gcs      = "gcs.mssante@esantepdl.mssante.fr"
	rempl    = "remplacant@medecin.mssante.fr"
)

// TestActions checks each action and their interactions against the
// semantics of Pigeonhole (see shared/oracle/README.md; the cases marked
// "oracle" were run through sieve-test 0.5.19).
func TestActions(t *testing.T) {
	always := func() rules.Condition { return &rules.Always{Node: pos()} }
	// sometimes holds for the test message, but not for every message:
	// with it, conflicts are runtime errors; without it, Compile refuses
	// them (TestCompileRefusesConflictsOfEveryMessage).
	sometimes := func() rules.Condition { return &rules.SizeTest{Node: pos(), Over: true, Limit: 10} }
	tests := []struct {
		name  string
		stmts []rules.Statement
		want  string
	}{
		{"no rule", nil, "implicit-keep"},
		{"no match", []rules.Statement{rule("r", fromIs("x@y.mssante.fr"), discard())}, "implicit-keep"},
		{"keep", []rules.Statement{rule("r", nil, keep())}, "keep"},
		{"discard", []rules.Statement{rule("r", nil, discard())}, "discard"},
		{"reject", []rules.Statement{rule("r", nil, reject("non"))}, "reject:non"},
		{"reroute", []rules.Statement{rule("r", nil, reroute(gcs))}, "reroute:" + gcs},
		{"copy keeps", []rules.Statement{rule("r", nil, copyTo(gcs))}, "copy:" + gcs + " implicit-keep"},
		{"fileinto", []rules.Statement{rule("r", nil, fileInto("INBOX/Patients"))}, "fileinto:INBOX/Patients"},
		{"flag keeps", []rules.Statement{rule("r", nil, flagAction(`\Flagged`))}, `flag:\Flagged implicit-keep`},
		// oracle: discard; keep → both listed, implicit keep none.
		{"discard then keep", []rules.Statement{rule("a", nil, discard()), rule("b", nil, keep())}, "discard keep"},
		{"keep twice merged", []rules.Statement{rule("a", nil, keep(), keep())}, "keep"},
		{"fileinto twice merged", []rules.Statement{rule("a", nil, fileInto("A")), rule("b", always(), fileInto("A"), discard())}, "fileinto:A discard"},
		// oracle: fileinto "INBOX" and keep are one store; "inbox" too.
		{"fileinto INBOX then keep", []rules.Statement{rule("a", nil, fileInto("INBOX"), keep())}, "fileinto:INBOX"},
		{"keep then fileinto inbox", []rules.Statement{rule("a", nil, keep(), fileInto("inbox"))}, "keep"},
		{"fileinto two folders", []rules.Statement{rule("a", nil, fileInto("A"), fileInto("B"))}, "fileinto:A fileinto:B"},
		// oracle: redirect :copy X; redirect X → one redirect that keeps.
		{"copy then reroute same", []rules.Statement{rule("a", nil, copyTo(gcs)), rule("b", nil, reroute(gcs))}, "copy:" + gcs + " implicit-keep"},
		// oracle: redirect Y; redirect :copy Y → one plain redirect.
		{"reroute then copy same", []rules.Statement{rule("a", nil, reroute(gcs)), rule("b", nil, copyTo(gcs))}, "reroute:" + gcs},
		{"domain case merged", []rules.Statement{rule("a", nil, copyTo(gcs), copyTo("gcs.mssante@ESANTEPDL.mssante.fr"))}, "copy:" + gcs + " implicit-keep"},
		// oracle: local parts compared case-sensitively.
		{"local case not merged", []rules.Statement{rule("a", nil, copyTo(gcs), reroute("GCS.mssante@esantepdl.mssante.fr"))},
			"copy:" + gcs + " reroute:GCS.mssante@esantepdl.mssante.fr"},
		{"copy then discard", []rules.Statement{rule("a", nil, copyTo(gcs), discard())}, "copy:" + gcs + " discard"},
		{"stop", []rules.Statement{rule("a", nil, fileInto("A"), stop()), rule("b", nil, discard())}, "fileinto:A"},
		{"stop keeps earlier", []rules.Statement{rule("a", nil, copyTo(gcs)), rule("b", nil, stop()), rule("c", nil, discard())}, "copy:" + gcs + " implicit-keep"},
		{"disabled skipped", []rules.Statement{&rules.Rule{Node: pos(), Name: rules.Lit("off"), Disabled: true, Actions: []rules.Action{discard()}}}, "implicit-keep"},
		{"flags merged", []rules.Statement{rule("a", nil, flagAction(`\Seen`, "$Label")), rule("b", nil, flagAction(`\seen`, `\Flagged`))}, `flag:\Seen,$Label,\Flagged implicit-keep`},
		// oracle: reject + keep, reject + fileinto, reject + redirect(:copy) → runtime error, keep.
		{"reject then keep", []rules.Statement{rule("a", sometimes(), reject("non")), rule("b", sometimes(), keep())}, "implicit-keep error"},
		{"keep then reject", []rules.Statement{rule("a", sometimes(), keep()), rule("b", sometimes(), reject("non"))}, "implicit-keep error"},
		{"reject then fileinto", []rules.Statement{rule("a", sometimes(), reject("non")), rule("b", sometimes(), fileInto("A"))}, "implicit-keep error"},
		{"copy then reject", []rules.Statement{rule("a", sometimes(), copyTo(gcs)), rule("b", sometimes(), reject("non"))}, "implicit-keep error"},
		{"two rejects", []rules.Statement{rule("a", sometimes(), reject("a")), rule("b", sometimes(), reject("b"))}, "implicit-keep error"},
		// oracle: reject + discard is fine.
		{"reject then discard", []rules.Statement{rule("a", nil, reject("non")), rule("b", nil, discard())}, "reject:non discard"},
		// oracle: 4 redirects after merging are fine, a 5th distinct one is an error.
		{"four redirects", []rules.Statement{
			rule("a", nil, copyTo("a@medecin.mssante.fr"), copyTo("b@medecin.mssante.fr")),
			rule("b", nil, copyTo("c@medecin.mssante.fr"), copyTo("d@medecin.mssante.fr"), copyTo("a@medecin.mssante.fr")),
		}, "copy:a@medecin.mssante.fr copy:b@medecin.mssante.fr copy:c@medecin.mssante.fr copy:d@medecin.mssante.fr implicit-keep"},
		{"five redirects", []rules.Statement{
			rule("a", nil, copyTo("a@medecin.mssante.fr"), copyTo("b@medecin.mssante.fr")),
			rule("b", sometimes(), copyTo("c@medecin.mssante.fr"), copyTo("d@medecin.mssante.fr"), reroute("e@medecin.mssante.fr")),
		}, "implicit-keep error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := compile(t, policy(tt.stmts...), Options{})
			r := eval(p, deliver(simpleMsg(t, drMartin, "résultats")))
			require.Equal(t, tt.want, brief(r), "summary:\n%s", r)
		})
	}
}

func TestRuntimeErrorNamesTheRule(t *testing.T) {
	rej := reject("non")
	p := compile(t, policy(rule("a", nil, keep()), rule("Refus", &rules.SizeTest{Node: pos(), Over: true, Limit: 10}, rej)), Options{})
	r := eval(p, deliver(simpleMsg(t, drMartin, "x")))
	require.Len(t, r.Errors, 1)
	var ee *EvalError
	require.True(t, errors.As(r.Errors[0], &ee))
	require.Equal(t, "Refus", ee.Rule)
	require.Equal(t, rej.Range, ee.Range)
	require.Empty(t, r.Actions)
	require.True(t, r.ImplicitKeep)
}
