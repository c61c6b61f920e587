package redis_test

import (
	"context"
	"fmt"
	"time"

	"github.com/alicebob/miniredis/v2"
	goredis "github.com/redis/go-redis/v9"

	"github.com/tamis-mss/tamis/engine/vacation"
	replyredis "github.com/tamis-mss/tamis/replystate/redis"
)

// Two nodes share one Redis: the second claim of the same reply is refused,
// whichever node makes it.
func Example() {
	mr, _ := miniredis.Run() // in production: the operators' Redis
	defer mr.Close()
	nodeA := goredis.NewClient(&goredis.Options{Addr: mr.Addr()})
	defer nodeA.Close()
	nodeB := goredis.NewClient(&goredis.Options{Addr: mr.Addr()})
	defer nodeB.Close()
	a := replyredis.New(nodeA, replyredis.Options{})
	b := replyredis.New(nodeB, replyredis.Options{})

	key := vacation.Key{Mailbox: "cabinet@medecin.mssante.fr", Sender: "dr.martin@chu-nantes.mssante.fr", Response: "conges"}
	now := time.Date(2025, 12, 22, 9, 0, 0, 0, time.UTC)
	ok, err := a.Claim(context.Background(), key, now, 7*24*time.Hour)
	fmt.Println("node A replies:", ok, err)
	ok, err = b.Claim(context.Background(), key, now.Add(time.Minute), 7*24*time.Hour)
	fmt.Println("node B replies:", ok, err)
	// Output:
	// node A replies: true <nil>
	// node B replies: false <nil>
}
