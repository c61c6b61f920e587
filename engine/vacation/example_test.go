package vacation_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/tamis-mss/tamis/engine/vacation"
)

func ExampleMemoryTracker() {
	tracker := vacation.NewMemoryTracker(0)
	key := vacation.Key{
		Mailbox:  "cabinet-des-lilas.93260@esantepdl.mssante.fr",
		Sender:   "dr.martin@chu-nantes.mssante.fr",
		Response: "cabinet-ferme",
	}
	week := 7 * 24 * time.Hour
	monday := time.Date(2025, 12, 22, 9, 0, 0, 0, time.UTC)
	for _, at := range []time.Time{monday, monday.AddDate(0, 0, 3), monday.AddDate(0, 0, 7)} {
		send, err := tracker.Claim(context.Background(), key, at, week)
		fmt.Println(at.Format("Mon 02/01"), send, err)
	}
	// Output:
	// Mon 22/12 true <nil>
	// Thu 25/12 false <nil>
	// Mon 29/12 true <nil>
}

// A FileTracker keeps the replies sent in a file, so that they survive the
// process: a second tracker on the same file (the next run of the CLI)
// refuses what the first one granted.
func ExampleOpenFileTracker() {
	dir, err := os.MkdirTemp("", "tamis-vacation-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "vacation.json")
	key := vacation.Key{
		Mailbox:  "cabinet-des-lilas.93260@esantepdl.mssante.fr",
		Sender:   "dr.martin@chu-nantes.mssante.fr",
		Response: "cabinet-ferme",
	}
	week := 7 * 24 * time.Hour
	monday := time.Date(2025, 12, 22, 9, 0, 0, 0, time.UTC)

	for run, at := range []time.Time{monday, monday.AddDate(0, 0, 2), monday.AddDate(0, 0, 7)} {
		tracker, err := vacation.OpenFileTracker(path)
		if err != nil {
			fmt.Println(err)
			return
		}
		send, err := tracker.Claim(context.Background(), key, at, week)
		fmt.Println("run", run+1, at.Format("Mon 02/01"), send, err)
		if err := tracker.Close(); err != nil {
			fmt.Println(err)
		}
	}
	// Output:
	// run 1 Mon 22/12 true <nil>
	// run 2 Wed 24/12 false <nil>
	// run 3 Mon 29/12 true <nil>
}
