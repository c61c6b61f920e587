package serve

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// TestManageSieveOnTheSameStore runs tamis serve with a [managesieve]
// section: a script uploaded and activated over ManageSieve is what the
// next delivery applies, in the same process.
func TestManageSieveOnTheSameStore(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	users := filepath.Join(t.TempDir(), "users")
	if err := os.WriteFile(users, []byte("dr.martin:"+string(hash)+":"+martin+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e := start(t, nil, func(c *Config) {
		c.ManageSieve.Listen = "127.0.0.1:0"
		c.ManageSieve.UsersFile = users
		c.ManageSieve.AllowPlaintextAuth = true // loopback test only
	})
	if e.srv.ManageSieveAddr() == nil {
		t.Fatal("no ManageSieve listener")
	}
	script := "require [\"fileinto\"];\r\nif header :contains \"subject\" \"labo\" {\r\n  fileinto \"Biologie\";\r\n}\r\n"
	conn, err := net.Dial("tcp", e.srv.ManageSieveAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(conn)
	// answer reads lines up to the one starting with OK, NO or BYE.
	answer := func() string {
		for {
			l, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("ManageSieve: %v", err)
			}
			if strings.HasPrefix(l, "OK") || strings.HasPrefix(l, "NO") || strings.HasPrefix(l, "BYE") {
				return strings.TrimSpace(l)
			}
		}
	}
	cmd := func(line string) string {
		fmt.Fprintf(conn, "%s\r\n", line)
		return answer()
	}
	if a := answer(); !strings.HasPrefix(a, "OK") {
		t.Fatalf("greeting %q", a)
	}
	auth := base64.StdEncoding.EncodeToString([]byte("\x00dr.martin\x00s3cret"))
	if a := cmd(`AUTHENTICATE "PLAIN" "` + auth + `"`); !strings.HasPrefix(a, "OK") {
		t.Fatalf("AUTHENTICATE: %q", a)
	}
	if a := cmd(fmt.Sprintf("PUTSCRIPT \"labo\" {%d+}\r\n%s", len(script), script)); !strings.HasPrefix(a, "OK") {
		t.Fatalf("PUTSCRIPT: %q", a)
	}
	if a := cmd(`SETACTIVE "labo"`); !strings.HasPrefix(a, "OK") {
		t.Fatalf("SETACTIVE: %q", a)
	}
	cmd("LOGOUT")
	waitFor(t, func() bool { return e.sendsInto(t, "labo "+time.Now().Format("150405.000"), ".Biologie/new") })
}
