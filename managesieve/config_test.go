package managesieve_test

import (
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/tamis-mss/tamis/managesieve"
)

// TestConfigTOML decodes the [managesieve] section as tamis serve's
// configuration file writes it (docs/MANAGESIEVE.md).
func TestConfigTOML(t *testing.T) {
	var file struct {
		ManageSieve managesieve.Config `toml:"managesieve"`
	}
	md, err := toml.Decode(`
[managesieve]
listen = "127.0.0.1:4190"
listen_tls = "127.0.0.1:5190"
cert_file = "/etc/tamis/tls/fullchain.pem"
key_file = "/etc/tamis/tls/privkey.pem"
users_file = "/etc/tamis/users"
max_script_size = 65536
max_scripts = 10
max_line_bytes = 4096
max_connections = 50
idle_timeout = "5m"
command_timeout = "30s"
shutdown_timeout = "3s"
allow_plaintext_auth = false
implementation = "tamis (CHU de Nantes)"
`, &file)
	if err != nil {
		t.Fatal(err)
	}
	if u := md.Undecoded(); len(u) > 0 {
		t.Fatalf("undecoded keys: %v", u)
	}
	c := file.ManageSieve
	if c.Listen != "127.0.0.1:4190" || c.ListenTLS != "127.0.0.1:5190" || c.UsersFile != "/etc/tamis/users" ||
		c.MaxScriptSize != 65536 || c.MaxScripts != 10 || c.IdleTimeout != 5*time.Minute || c.CommandTimeout != 30*time.Second ||
		c.ShutdownTimeout != 3*time.Second || !strings.Contains(c.Implementation, "Nantes") {
		t.Errorf("decoded %+v", c)
	}
	if _, err := managesieve.NewServer(managesieve.Config{MaxScriptSize: 1 << 30}, managesieve.Options{}); err == nil {
		t.Error("NewServer accepted a script size tamis cannot import, and no store")
	}
}
