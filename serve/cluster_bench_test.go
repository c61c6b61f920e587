package serve

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/tamis-mss/tamis/internal/redistest"
	"github.com/tamis-mss/tamis/internal/smtpsink"
	"github.com/tamis-mss/tamis/internal/testenv"
	"github.com/tamis-mss/tamis/store/dir"
)

// BenchmarkDeliverReplyState measures one LMTP delivery to a mailbox with
// an absence reply, end to end in process (session, evaluation, claim,
// Maildir with fsync, reply hand-off), with the reply state in the embedded
// bbolt file and in Redis on the same machine, in the same run: "granted"
// is a new sender each time (the claim is recorded, a reply relayed),
// "refused" the same sender again (the claim is read only).
func BenchmarkDeliverReplyState(b *testing.B) {
	backends := []struct {
		name string
		set  func(b *testing.B, c *Config)
	}{
		{"bolt", func(b *testing.B, c *Config) {
			c.Replies.Backend, c.Replies.Path = "bolt", filepath.Join(b.TempDir(), "replies.db")
		}},
		{"redis-everysec", func(b *testing.B, c *Config) {
			c.Replies.Backend = "redis"
			c.Replies.Redis.Addrs = []string{redistest.Start(b, redistest.Options{AppendFsync: "everysec"}).Addr()}
		}},
		{"redis-always", func(b *testing.B, c *Config) {
			c.Replies.Backend = "redis"
			c.Replies.Redis.Addrs = []string{redistest.Start(b, redistest.Options{AppendFsync: "always"}).Addr()}
		}},
	}
	for _, be := range backends {
		for _, mode := range []string{"granted", "refused"} {
			b.Run(be.name+"/"+mode, func(b *testing.B) {
				addr := benchServer(b, func(c *Config) { be.set(b, c) })
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					i++
					from := girard
					if mode == "granted" {
						from = fmt.Sprintf("s%d@chu-nantes.mssante.fr", i)
					}
					if err := deliver(addr, from, martin, clusterMail(fmt.Sprint("bench-", i))); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// benchServer runs an in-process server with martin's absence policy and
// returns its LMTP address.
func benchServer(b *testing.B, edit func(*Config)) string {
	b.Helper()
	d := b.TempDir()
	sink := smtpsink.Start(b)
	cfg := DefaultConfig()
	cfg.LMTP.Listen = "127.0.0.1:0"
	cfg.Maildir.Path = filepath.Join(d, "mail", "%d", "%n", "Maildir")
	cfg.Relay.Address = sink.Addr
	cfg.Trust.List = testenv.TrustList(b)
	cfg.Trust.Checksum = testenv.TrustListSHA256
	cfg.Store.Path = filepath.Join(d, "policies")
	edit(&cfg)
	st, err := dir.Open(cfg.Store.Path)
	if err != nil {
		b.Fatal(err)
	}
	if err := st.PutLayer(context.Background(), martin, dir.Before, "10-absence.rules", []byte(policyAbsence)); err != nil {
		b.Fatal(err)
	}
	srv, err := New(cfg, nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	b.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			b.Error("Serve did not return")
		}
		srv.Close()
	})
	return srv.LMTPAddr().String()
}
