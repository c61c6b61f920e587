package redis_test

import (
	"context"
	"fmt"

	"github.com/alicebob/miniredis/v2"
	goredis "github.com/redis/go-redis/v9"

	"github.com/tamis-mss/tamis/store"
	storeredis "github.com/tamis-mss/tamis/store/redis"
)

// Node A stores and activates a script; node B, watching, hears of it and
// reads the new sources.
func ExampleNew() {
	mr, _ := miniredis.Run() // in production: the operators' Redis
	defer mr.Close()
	ca := goredis.NewClient(&goredis.Options{Addr: mr.Addr()})
	defer ca.Close()
	cb := goredis.NewClient(&goredis.Options{Addr: mr.Addr()})
	defer cb.Close()
	a := storeredis.New(ca, storeredis.Options{})
	b := storeredis.New(cb, storeredis.Options{})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changes, err := b.Watch(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	mailbox := "dr.martin@medecin.mssante.fr"
	name, _ := store.ParseScriptName("roundcube")
	_ = a.PutScript(ctx, mailbox, store.Script{Name: name, Sieve: []byte("keep;\n"), Policy: []byte("rule \"k\" { keep }\n"), Author: "dr.martin"})
	_ = a.SetActive(ctx, mailbox, name)
	fmt.Println("changed:", (<-changes).Mailbox)
	fmt.Println("changed:", (<-changes).Mailbox)
	src, _ := b.Sources(ctx, mailbox)
	fmt.Println("user:", src.User.Name)
	// Output:
	// changed: dr.martin@medecin.mssante.fr
	// changed: dr.martin@medecin.mssante.fr
	// user: mailboxes/dr.martin@medecin.mssante.fr/scripts/roundcube.rules
}
