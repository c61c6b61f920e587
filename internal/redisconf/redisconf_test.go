package redisconf_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/alicebob/miniredis/v2"

	"github.com/tamis-mss/tamis/internal/redisconf"
)

func TestDecodeAndConnect(t *testing.T) {
	mr := miniredis.RunT(t)
	mr.RequireAuth("s3cret")
	pw := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pw, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	doc := `addrs = ["` + mr.Addr() + `"]
password_file = "` + pw + `"
dial_timeout = "300ms"
pool_size = 4
`
	c := redisconf.Defaults()
	if _, err := toml.Decode(doc, &c); err != nil {
		t.Fatal(err)
	}
	if err := c.Check("[store.redis]"); err != nil {
		t.Fatal(err)
	}
	o, err := c.Options()
	if err != nil {
		t.Fatal(err)
	}
	if o.DialTimeout != 300*time.Millisecond || o.ReadTimeout != redisconf.DefaultReadTimeout || o.PoolSize != 4 || o.Password != "s3cret" {
		t.Errorf("options = %+v", o)
	}
	cl, err := c.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if err := cl.Ping(context.Background()).Err(); err != nil {
		t.Errorf("PING with the configured password: %v", err)
	}
}

func TestCheck(t *testing.T) {
	ok := redisconf.Defaults()
	ok.Addrs = []string{"127.0.0.1:6379"}
	for _, tc := range []struct {
		edit func(*redisconf.Config)
		want string
	}{
		{func(c *redisconf.Config) { c.Addrs = nil }, "addrs is empty"},
		{func(c *redisconf.Config) { c.Addrs = []string{"redis"} }, `"redis" is not host:port`},
		{func(c *redisconf.Config) { c.ReadTimeout = -1 }, "timeouts"},
		{func(c *redisconf.Config) { c.TLSCert = "x.pem"; c.TLS = true }, "tls_cert and tls_key"},
		{func(c *redisconf.Config) { c.TLSCA = "ca.pem" }, "need tls = true"},
		{func(c *redisconf.Config) { c.Addrs = []string{"a:1", "b:1"}; c.DB = 2 }, "db must be 0"},
		{func(c *redisconf.Config) { c.MaxRetries = -2 }, "max_retries"},
	} {
		c := ok
		tc.edit(&c)
		err := c.Check("[replies.redis]")
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "[replies.redis] ") {
			t.Errorf("Check = %v, want an error with %q", err, tc.want)
		}
	}
	if err := ok.Check("[store.redis]"); err != nil {
		t.Errorf("valid config: %v", err)
	}
}

func TestSecretFiles(t *testing.T) {
	c := redisconf.Defaults()
	c.Addrs = []string{"127.0.0.1:1"}
	c.PasswordFile = filepath.Join(t.TempDir(), "missing")
	if _, err := c.Options(); err == nil {
		t.Error("a missing password file was accepted")
	}
	empty := filepath.Join(t.TempDir(), "empty")
	os.WriteFile(empty, nil, 0o600)
	c.PasswordFile = empty
	if _, err := c.Options(); err == nil || !strings.Contains(err.Error(), "is empty") {
		t.Errorf("an empty password file: %v", err)
	}
	c.PasswordFile = ""
	c.TLS, c.TLSCA = true, empty
	if _, err := c.Options(); err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Errorf("a CA file without certificates: %v", err)
	}
}
