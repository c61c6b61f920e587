package serve

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
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
	if cfg != want {
		t.Fatalf("testdata/serve.toml read as\n%+v\nwant\n%+v", cfg, want)
	}
}

func TestConfigEmptyIsDefault(t *testing.T) {
	cfg, err := ParseConfig("empty.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg != DefaultConfig() {
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
