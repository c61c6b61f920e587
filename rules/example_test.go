package rules_test

import (
	"fmt"
	"time"

	"github.com/tamis-mss/tamis/rules"
)

// A diagnostic renders with its position, the source line, a caret under
// the offending characters and a hint.
func ExampleDiagnostic_Render() {
	src := []byte("rule \"Secrétariat\" {\n    copie to \"secretariat@esantepdl.mssante.fr\"\n}\n")
	d := rules.Diagnostic{
		Severity: rules.Error,
		Code:     rules.CodeUnknownKeyword,
		Message:  `unknown keyword "copie" in a rule`,
		Range: rules.Range{
			File:  "cabinet.rules",
			Start: rules.Pos{Line: 2, Column: 5, Offset: 26},
			End:   rules.Pos{Line: 2, Column: 10, Offset: 31},
		},
		Hint: `did you mean "copy to"?`,
	}
	fmt.Print(d.Render(src))
	// Output:
	// cabinet.rules:2:5: error: unknown keyword "copie" in a rule [unknown-keyword]
	//         copie to "secretariat@esantepdl.mssante.fr"
	//         ^^^^^
	//     hint: did you mean "copy to"?
}

// Policies can be built in Go code; Dump shows the model.
func ExampleDump() {
	p := &rules.Policy{
		Mailbox: &rules.Literal{Value: "secretariat@esantepdl.mssante.fr"},
		Statements: []rules.Statement{&rules.Rule{
			Name: rules.Lit("Fin d'échange"),
			When: &rules.HeaderTest{Names: rules.Lits("X-MSS-MES"), Match: rules.Match{Kind: rules.Is, Keys: rules.Lits("FIN")}},
			Actions: []rules.Action{
				&rules.FileInto{Folder: rules.Lit("INBOX/Patients")},
				&rules.Stop{},
			},
		}},
	}
	fmt.Print(rules.DumpWithoutPositions(p))
	// Output:
	// policy ""
	//   mailbox "secretariat@esantepdl.mssante.fr"
	//   rule "Fin d'échange"
	//     when
	//       header ["X-MSS-MES"] is ["FIN"]
	//     fileinto "INBOX/Patients"
	//     stop
}

// A window's bounds are read in the policy's zone: a bare end date includes
// the whole day.
func ExampleWindow_Contains() {
	paris, _ := time.LoadLocation("Europe/Paris")
	w := rules.Window{
		From:  &rules.Bound{Date: rules.Date{Year: 2025, Month: 12, Day: 20}, Time: rules.Clock{Hour: 18}, HasTime: true},
		Until: &rules.Bound{Date: rules.Date{Year: 2026, Month: 1, Day: 5}},
	}
	for _, s := range []string{"2025-12-20T16:59:00Z", "2025-12-20T17:00:00Z", "2026-01-05T22:59:00Z", "2026-01-05T23:00:00Z"} {
		t, _ := time.Parse(time.RFC3339, s)
		fmt.Println(s, w.Contains(t, paris))
	}
	// Output:
	// 2025-12-20T16:59:00Z false
	// 2025-12-20T17:00:00Z true
	// 2026-01-05T22:59:00Z true
	// 2026-01-05T23:00:00Z false
}
