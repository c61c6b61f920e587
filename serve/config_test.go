package serve

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tamis-mss/tamis/internal/testenv"
)

func TestConfigExample(t *testing.T) {
	cfg, err := LoadConfig("testdata/serve.toml")
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultConfig()
	want.LMTP.Hostname = "tamis.example.mssante.fr"
	want.LMTP.RecipientDelimiter = "+"
	want.Relay.Hostname = "tamis.example.mssante.fr"
	want.Relay.Postmaster = "postmaster@example.mssante.fr"
	want.Trust.List = "/var/lib/tamis/listeblanchemssante.xml"
	want.Trust.ChecksumFile = "/var/lib/tamis/listeblanchemssante.sha256"
	want.Engine = EngineConfig{MaxRedirects: 4, DefaultPeriod: 168 * time.Hour, MinPeriod: 24 * time.Hour}
	want.Metrics.Listen = "127.0.0.1:9324"
	want.ManageSieve.Listen = "127.0.0.1:4190"
	want.ManageSieve.UsersFile = "/etc/tamis/users"
	if !reflect.DeepEqual(cfg, want) {
		t.Fatalf("testdata/serve.toml read as\n%+v\nwant\n%+v", cfg, want)
	}
}

// TestConfigCluster reads the cluster example of docs/CLUSTER.md.
func TestConfigCluster(t *testing.T) {
	cfg, err := LoadConfig("testdata/cluster.toml")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Store.Backend != "redis" || cfg.Replies.Backend != "redis" {
		t.Fatalf("backends %q, %q", cfg.Store.Backend, cfg.Replies.Backend)
	}
	r := cfg.Replies.Redis
	if len(r.Addrs) != 3 || r.MasterName != "tamis" || r.ReadTimeout != 500*time.Millisecond || r.PoolSize != 50 ||
		r.PasswordFile != "/etc/tamis/redis.password" || !r.TLS || r.Prefix != "nantes:" {
		t.Errorf("[replies.redis] read as %+v", r)
	}
	if s := cfg.Store.Redis; len(s.Addrs) != 3 || s.DialTimeout != 2*time.Second || s.MaxRetries != 1 {
		t.Errorf("[store.redis] read as %+v (unset keys take the defaults)", s)
	}
}

func TestConfigEmptyIsDefault(t *testing.T) {
	cfg, err := ParseConfig("empty.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg, DefaultConfig()) {
		t.Fatalf("an empty file read as %+v; want the defaults", cfg)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tt := range []struct{ name, text, want string }{
		{"syntax", "[lmtp]\nlisten = \n", "bad.toml:2:"},
		{"unknown key", "[lmtp]\nlisten = \"127.0.0.1:24\"\nmax_size = 10\n", `bad.toml:3:1: unknown key "lmtp.max_size"`},
		{"unknown section", "[lmpt]\nlisten = \"x\"\n", `unknown key "lmpt`},
		{"type", "[lmtp]\nmax_recipients = \"many\"\n", "bad.toml:"},
		{"duration", "[relay]\ntimeout = \"soon\"\n", "bad.toml:"},
		{"store backend", "[store]\nbackend = \"nfs\"\n", `[store] backend "nfs": one of "dir"`},
		{"reply backend", "[replies]\nbackend = \"sqlite\"\n", `[replies] backend "sqlite": one of "bolt"`},
		{"envelope", "[relay]\nenvelope_from = \"me\"\n", `envelope_from "me"`},
		{"postmaster", "[relay]\nenvelope_from = \"postmaster\"\n", `needs postmaster`},
		{"maildir path", "[maildir]\npath = \"/var/mail/all\"\n", "names no mailbox"},
		{"separator", "[maildir]\nseparator = \":\"\n", `separator ":"`},
		{"level", "[log]\nlevel = \"loud\"\n", `level "loud"`},
		{"redis store without address", "[store]\nbackend = \"redis\"\n", "[store.redis] addrs is empty"},
		{"redis replies bad address", "[replies]\nbackend = \"redis\"\n[replies.redis]\naddrs = [\"redis\"]\n", `[replies.redis] addrs: "redis" is not host:port`},
		{"redis unknown key", "[store.redis]\naddress = \"x:1\"\n", `unknown key "store.redis.address"`},
		{"recipients", "[lmtp]\nmax_recipients = 0\n", "max_recipients must be positive"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig("bad.toml", []byte(tt.text))
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v; want a *ConfigError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %q; want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestConfigMissingFile(t *testing.T) {
	_, err := LoadConfig("testdata/absent.toml")
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %v; want not exist", err)
	}
}

func FuzzParseConfig(f *testing.F) {
	data, err := os.ReadFile("testdata/serve.toml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte("[lmtp]\nlisten = \"unix:/run/x\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig("fuzz.toml", data)
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), "fuzz.toml:") {
				t.Fatalf("error %q is not a positioned *ConfigError", err)
			}
			return
		}
		if err := cfg.Check(); err != nil {
			t.Fatalf("an accepted configuration fails Check: %v", err)
		}
	})
}

// TestConfigQuickstart checks the README's configuration: it parses and
// names the repository's trust list with its published checksum.
func TestConfigQuickstart(t *testing.T) {
	cfg, err := LoadConfig("testdata/quickstart.toml")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Trust.Checksum != testenv.TrustListSHA256 || !strings.HasSuffix(testenv.TrustList(t), cfg.Trust.List) {
		t.Fatalf("quickstart trust list %q %q; want the repository's with its checksum", cfg.Trust.List, cfg.Trust.Checksum)
	}
}
