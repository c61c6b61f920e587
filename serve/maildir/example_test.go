package maildir_test

import (
	"fmt"

	"github.com/tamis-mss/tamis/serve/maildir"
)

// ExampleParseFolder shows the Maildir++ directory of a policy's folder
// name, and a name that would leave the Maildir.
func ExampleParseFolder() {
	for _, name := range []string{"INBOX", "Biologie/Résultats", "../../etc"} {
		f, err := maildir.ParseFolder(name, '/')
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s → %q\n", f, f.Dir())
	}
	// Output:
	// INBOX → ""
	// Biologie/Résultats → ".Biologie.R&AOk-sultats"
	// invalid folder name "../../etc": a level contains "." or "/", which Maildir++ cannot store
}
