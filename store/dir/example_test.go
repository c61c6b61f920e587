package dir_test

import (
	"context"
	"fmt"
	"os"

	"github.com/tamis-mss/tamis/store"
	"github.com/tamis-mss/tamis/store/dir"
)

func ExampleOpen() {
	root, _ := os.MkdirTemp("", "tamis-store-")
	defer os.RemoveAll(root)
	s, err := dir.Open(root)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	mailbox := "dr.martin@medecin.mssante.fr"
	_ = s.PutLayer(ctx, "", dir.Before, "10-securite.rules", []byte("# operator policy\n"))
	name, _ := store.ParseScriptName("roundcube")
	_ = s.PutScript(ctx, mailbox, store.Script{Name: name, Sieve: []byte("keep;\n"), Policy: []byte("rule \"k\" { keep }\n"), Author: "dr.martin"})
	_ = s.SetActive(ctx, mailbox, name)
	src, _ := s.Sources(ctx, mailbox)
	for _, l := range src.Before {
		fmt.Println("before:", l.Name)
	}
	fmt.Println("user:", src.User.Name)
	// Output:
	// before: operator/before/10-securite.rules
	// user: mailboxes/dr.martin@medecin.mssante.fr/scripts/roundcube.rules
}
