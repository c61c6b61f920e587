package oracle_test

import (
	"context"
	"fmt"
	"time"

	"github.com/tamis-mss/tamis/internal/oracle"
)

// ParseReport reads the report sieve-test prints; here one captured from
// Pigeonhole 0.5.19 for "redirect :copy" followed by "fileinto".
func ExampleParseReport() {
	report := `
Performed actions:

 * redirect message to: <secretariat@esantepdl.mssante.fr>
        + preserve implicit keep
 * store message in folder: Archives

Implicit keep:

  (none)

`
	o, err := oracle.ParseReport(report)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range o.Actions {
		fmt.Println(a)
	}
	fmt.Println("implicit keep:", o.ImplicitKeep)
	// Output:
	// redirect "secretariat@esantepdl.mssante.fr" :copy
	// fileinto "Archives"
	// implicit keep: false
}

// Run runs Pigeonhole with a pinned clock. (Not run as a test: it needs
// Pigeonhole installed, see RequireAvailable; TestRunReport runs it.)
func ExampleRun() {
	o, err := oracle.Run(context.Background(), oracle.Request{
		Script:  []byte("require \"fileinto\";\nfileinto \"Archives\";\n"),
		Message: []byte("From: x@medecin.mssante.fr\r\nSubject: test\r\n\r\nBody\r\n"),
		Now:     time.Date(2025, 1, 7, 10, 0, 0, 0, time.UTC),
		From:    "x@medecin.mssante.fr",
		Rcpt:    "me@medecin.mssante.fr",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(o.Summary())
}
