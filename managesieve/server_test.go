package managesieve_test

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/tamis-mss/tamis/accounts"
	"github.com/tamis-mss/tamis/internal/testenv"
	"github.com/tamis-mss/tamis/managesieve"
	"github.com/tamis-mss/tamis/mssante"
	"github.com/tamis-mss/tamis/store/dir"
)

const (
	testLogin    = "dr.martin"
	testPassword = "correct horse"
	testMailbox  = "dr.martin@medecin.mssante.fr"
)

// env is a running server with its store and audit log.
type env struct {
	addr  string
	store *dir.Store
	root  string
	tls   *tls.Config // the server's
	audit *syncBuffer
	srv   *managesieve.Server
	stop  func() // ends Serve and checks that it returned
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func selfSigned(t testing.TB) *tls.Config {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
}

// usersFile writes a users file with testLogin, a delegate login, and the
// principal co-holder, co-holder and delegate of cabinetMailbox.
func usersFile(t testing.TB, dir string) string {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "users")
	content := fmt.Sprintf("# test users\n%s:%s:%s\nsecretariat:%s:cabinet@esantepdl.mssante.fr=delegate,%s\n", testLogin, hash, testMailbox, hash, testMailbox) +
		fmt.Sprintf("%s:%s:%s=principal\n%s:%s:%s=co-holder\n%s:%s:%s=delegate\n",
			principalLogin, hash, cabinetMailbox, coHolderLogin, hash, cabinetMailbox, delegateLogin, hash, cabinetMailbox)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

var (
	trustOnce sync.Once
	trustList *mssante.List
	trustErr  error
)

// trust returns a trust space of the published list, read once per test
// binary (the servers only read it).
func trust(t testing.TB) *mssante.TrustSpace {
	t.Helper()
	path := testenv.TrustList(t)
	trustOnce.Do(func() { trustList, trustErr = mssante.LoadList(path, testenv.TrustListSHA256) })
	if trustErr != nil {
		testenv.Missing(t, "the published trust list", "git checkout testdata/listeblanche", trustErr)
	}
	return mssante.NewTrustSpace(trustList)
}

func startServer(t testing.TB, mutate func(*managesieve.Config)) *env {
	t.Helper()
	tmp := t.TempDir()
	st, err := dir.Open(filepath.Join(tmp, "store"))
	if err != nil {
		t.Fatal(err)
	}
	auth, err := accounts.OpenFile(usersFile(t, tmp))
	if err != nil {
		t.Fatal(err)
	}
	cfg := managesieve.DefaultConfig()
	cfg.AllowPlaintextAuth = true
	if mutate != nil {
		mutate(&cfg)
	}
	e := &env{store: st, root: filepath.Join(tmp, "store"), tls: selfSigned(t), audit: &syncBuffer{}}
	th := accounts.NewThrottle()
	th.Base, th.Max = 50*time.Millisecond, 200*time.Millisecond
	e.srv, err = managesieve.NewServer(cfg, managesieve.Options{Store: st, Authenticator: auth, Trust: trust(t), TLS: e.tls,
		Throttle: th, Logger: slog.New(slog.NewJSONHandler(e.audit, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.addr = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.srv.Serve(ctx, ln) }()
	var once sync.Once
	e.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Serve: %v", err)
				}
			case <-time.After(15 * time.Second):
				t.Error("Serve did not return after its context ended")
			}
		})
	}
	t.Cleanup(e.stop)
	return e
}

// client is a minimal ManageSieve client for unit tests; the real clients
// are tested in clients_test.go.
type client struct {
	t    testing.TB
	conn net.Conn
	br   *bufio.Reader
}

func dial(t testing.TB, addr string) *client {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	c := &client{t: t, conn: conn, br: bufio.NewReader(conn)}
	c.response() // greeting
	return c
}

// response reads lines up to and including OK, NO or BYE, and returns them
// joined with "\n" (literals inlined).
func (c *client) response() string {
	c.t.Helper()
	var lines []string
	for {
		l, err := c.br.ReadString('\n')
		if err != nil {
			c.t.Fatalf("read response: %v (so far %q)", err, lines)
		}
		l = strings.TrimRight(l, "\r\n")
		if strings.HasSuffix(l, "}") && strings.Contains(l, "{") {
			var n int
			if _, err := fmt.Sscanf(l[strings.LastIndex(l, "{"):], "{%d}", &n); err == nil {
				buf := make([]byte, n)
				if _, err := io.ReadFull(c.br, buf); err != nil {
					c.t.Fatal(err)
				}
				l = l[:strings.LastIndex(l, "{")] + string(buf)
				rest, _ := c.br.ReadString('\n')
				l += strings.TrimRight(rest, "\r\n")
			}
		}
		lines = append(lines, l)
		if strings.HasPrefix(l, "OK") || strings.HasPrefix(l, "NO") || strings.HasPrefix(l, "BYE") {
			return strings.Join(lines, "\n")
		}
	}
}

func (c *client) send(raw string) string {
	c.t.Helper()
	if _, err := c.conn.Write([]byte(raw)); err != nil {
		c.t.Fatal(err)
	}
	return c.response()
}

func (c *client) login(user, pass string) string {
	c.t.Helper()
	ir := base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + pass))
	return c.send(fmt.Sprintf("AUTHENTICATE \"PLAIN\" \"%s\"\r\n", ir))
}

func literal(s string) string { return fmt.Sprintf("{%d+}\r\n%s", len(s), s) }

func lastLine(s string) string {
	lines := strings.Split(s, "\n")
	return lines[len(lines)-1]
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func newReader(r io.Reader) *bufio.Reader { return bufio.NewReader(r) }
