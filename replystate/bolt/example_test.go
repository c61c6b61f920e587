package bolt_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/tamis-mss/tamis/engine/vacation"
	"github.com/tamis-mss/tamis/replystate/bolt"
)

// Example claims a reply twice within its period: the second claim is
// refused, also after reopening the file.
func Example() {
	dir, _ := os.MkdirTemp("", "replies")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "replies.db")
	key := vacation.Key{Mailbox: "dr.martin@medecin.mssante.fr", Sender: "secretariat@chu-nantes.mssante.fr", Response: "conges"}
	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

	tr, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	ok, _ := tr.Claim(context.Background(), key, now, 7*24*time.Hour)
	fmt.Println("first:", ok)
	tr.Close()

	tr, _ = bolt.Open(path, bolt.Options{})
	defer tr.Close()
	ok, _ = tr.Claim(context.Background(), key, now.Add(time.Hour), 7*24*time.Hour)
	fmt.Println("an hour later, after a restart:", ok)
	// Output:
	// first: true
	// an hour later, after a restart: false
}
