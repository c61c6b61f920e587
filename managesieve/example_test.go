package managesieve_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"github.com/tamis-mss/tamis/accounts"
	"github.com/tamis-mss/tamis/managesieve"
	"github.com/tamis-mss/tamis/store/dir"
)

func ExampleNewServer() {
	tmp, _ := os.MkdirTemp("", "tamis-managesieve-")
	defer os.RemoveAll(tmp)
	st, _ := dir.Open(filepath.Join(tmp, "policies"))
	users := filepath.Join(tmp, "users")
	// login:bcrypt-hash:mailbox; "htpasswd -nbBC 10 dr.martin PASSWORD" makes such a line.
	hash, _ := bcrypt.GenerateFromPassword([]byte("correct horse"), bcrypt.MinCost)
	_ = os.WriteFile(users, []byte("dr.martin:"+string(hash)+":dr.martin@medecin.mssante.fr\n"), 0o600)
	auth, err := accounts.OpenFile(users)
	if err != nil {
		fmt.Println(err)
		return
	}
	srv, err := managesieve.NewServer(managesieve.DefaultConfig(), managesieve.Options{Store: st, Authenticator: auth})
	if err != nil {
		fmt.Println(err)
		return
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- srv.Serve(ctx, ln) }()

	conn, _ := net.Dial("tcp", ln.Addr().String())
	r := bufio.NewReader(conn)
	for {
		line, _ := r.ReadString('\n')
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, `"SIEVE"`) {
			continue // the list of extensions
		}
		fmt.Println(line)
		if strings.HasPrefix(line, "OK") {
			break
		}
	}
	stop()
	fmt.Println(strings.TrimSpace(must(r.ReadString('\n'))), <-done)
	// Output:
	// "IMPLEMENTATION" "tamis"
	// "SASL" ""
	// "MAXREDIRECTS" "4"
	// "UNAUTHENTICATE"
	// "VERSION" "1.0"
	// OK "tamis ManageSieve ready"
	// BYE "Server shutting down" <nil>
}

func must(s string, _ error) string { return s }
