package serve

// The cluster test: two `tamis serve` processes (the real binary) sharing
// one real redis-server for their policies and reply state, as
// docs/CLUSTER.md describes. Uploads go through node A's ManageSieve with
// sieve-connect; deliveries are LMTP, split across both nodes.

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"golang.org/x/crypto/bcrypt"

	"github.com/tamis-mss/tamis/internal/redistest"
	"github.com/tamis-mss/tamis/internal/smtpsink"
	"github.com/tamis-mss/tamis/internal/testenv"
)

// node is one running tamis serve process.
type node struct {
	name        string
	lmtp, sieve string
	cmd         *exec.Cmd
	log         *lockedBuffer
	done        chan struct{}
}

// cluster is what the nodes share: Redis, the relay sink, the Maildir
// tree (on shared storage in production), the users file and certificate.
type cluster struct {
	redis *redistest.Server
	sink  *smtpsink.Sink
	dir   string
	bin   string
	users string
	cert  string
	key   string
	nodes []*node
}

// buildTamis builds the tamis command into dir.
func buildTamis(t *testing.T, dir string) string {
	t.Helper()
	goBin := testenv.Command(t, "go", "install Go")
	bin := filepath.Join(dir, "tamis")
	cmd := exec.Command(goBin, "build", "-o", bin, "./cmd/tamis")
	cmd.Dir = testenv.Root(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/tamis: %v\n%s", err, out)
	}
	return bin
}

func startCluster(t *testing.T, nodes int) *cluster {
	t.Helper()
	testenv.Command(t, "sieve-connect", "apt-get install sieve-connect")
	c := &cluster{
		redis: redistest.Start(t, redistest.Options{AppendFsync: "always"}),
		sink:  smtpsink.Start(t),
		dir:   t.TempDir(),
	}
	c.bin = buildTamis(t, c.dir)
	c.users, c.cert, c.key = clusterAccounts(t, c.dir)
	for i := range nodes {
		c.nodes = append(c.nodes, c.startNode(t, string(rune('A'+i))))
	}
	return c
}

// clusterAccounts writes the users file (dr.martin, password "secret") and
// a self-signed certificate for STARTTLS.
func clusterAccounts(t *testing.T, dir string) (users, cert, key string) {
	hash, err := bcrypt.GenerateFromPassword([]byte("secret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	users = filepath.Join(dir, "users")
	if err := os.WriteFile(users, []byte("dr.martin:"+string(hash)+":"+martin+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return users, cert, key
}

// startNode runs a tamis serve process and waits until its LMTP and
// ManageSieve ports answer. Its ports are chosen free then given to it;
// when another process takes one in between, it starts again.
func (c *cluster) startNode(t *testing.T, name string) *node {
	t.Helper()
	var lastLog string
	for range 3 {
		n := &node{name: name, lmtp: freeAddr(t), sieve: freeAddr(t), log: &lockedBuffer{}, done: make(chan struct{})}
		conf := filepath.Join(c.dir, "node-"+name+".toml")
		redis := fmt.Sprintf("addrs = [%q]\ndial_timeout = \"300ms\"\nread_timeout = \"500ms\"\nwrite_timeout = \"500ms\"\n", c.redis.Addr())
		text := fmt.Sprintf(`[lmtp]
listen = %q
hostname = "node-%s"
recipient_delimiter = "+"
shutdown_timeout = "5s"
delivery_timeout = "30s"

[maildir]
path = %q

[relay]
address = %q
timeout = "3s"

[trust]
list = %q
checksum = %q

[store]
backend = "redis"

[store.redis]
%s
[replies]
backend = "redis"

[replies.redis]
%s
[log]
level = "debug"
format = "text"

[managesieve]
listen = %q
users_file = %q
cert_file = %q
key_file = %q
`, n.lmtp, name, filepath.Join(c.dir, "mail", "%d", "%n", "Maildir"), c.sink.Addr,
			testenv.TrustList(t), testenv.TrustListSHA256, redis, redis, n.sieve, c.users, c.cert, c.key)
		if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		n.cmd = exec.Command(c.bin, "serve", "--config", conf)
		n.cmd.Stdout, n.cmd.Stderr = n.log, n.log
		n.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		if err := n.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { n.cmd.Wait(); close(n.done) }()
		if n.waitReady(20 * time.Second) {
			t.Cleanup(func() { n.stop(t) })
			return n
		}
		n.stop(t)
		lastLog = n.log.String()
	}
	t.Fatalf("node %s did not start:\n%s", name, lastLog)
	return nil
}

func (n *node) waitReady(d time.Duration) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		select {
		case <-n.done:
			return false
		default:
		}
		ok := true
		for _, a := range []string{n.lmtp, n.sieve} {
			conn, err := net.DialTimeout("tcp", a, 200*time.Millisecond)
			if err != nil {
				ok = false
				break
			}
			conn.Close()
		}
		if ok {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// stop ends the process with SIGTERM (a graceful shutdown).
func (n *node) stop(t *testing.T) {
	select {
	case <-n.done:
		return
	default:
	}
	_ = n.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-n.done:
	case <-time.After(15 * time.Second):
		_ = n.cmd.Process.Kill()
		<-n.done
		t.Errorf("node %s did not stop within 15 s of SIGTERM", n.name)
	}
	if t.Failed() {
		t.Logf("node %s log (last 4 KiB):\n%s", n.name, tail(n.log.String(), 4096))
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// deliver sends one message to rcpt over LMTP; nil means 250.
func deliver(addr, from, rcpt, msg string) error {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return err
	}
	c := smtp.NewClientLMTP(conn)
	defer c.Close()
	if err := c.Hello("mta.test"); err != nil {
		return err
	}
	if err := c.Mail(from, nil); err != nil {
		return err
	}
	if err := c.Rcpt(rcpt, nil); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(msg)); err != nil {
		return err
	}
	_, err = w.CloseWithLMTPResponse()
	var le smtp.LMTPDataError
	if errors.As(err, &le) {
		if e := le[rcpt]; e != nil {
			return e
		}
		return nil
	}
	if err != nil {
		return err
	}
	c.Quit()
	return nil
}

// clusterMail is a message to martin with a Message-ID of its own.
func clusterMail(id string) string {
	return "From: Dr Paul Girard <" + girard + ">\r\nTo: " + martin + "\r\nSubject: Résultats " + id +
		"\r\nMessage-ID: <" + id + "@chu-nantes.mssante.fr>\r\nDate: Mon, 5 Jan 2026 09:00:00 +0100\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBonjour.\r\n"
}

// upload puts a Sieve script through a node's ManageSieve with
// sieve-connect (STARTTLS, PLAIN) and activates it.
func (c *cluster) upload(t *testing.T, n *node, name, sieve string) {
	t.Helper()
	d := t.TempDir()
	file := filepath.Join(d, name+".sieve")
	if err := os.WriteFile(file, []byte(sieve), 0o644); err != nil {
		t.Fatal(err)
	}
	cmds := filepath.Join(d, "commands")
	if err := os.WriteFile(cmds, []byte("put "+file+" "+name+"\nactivate "+name+"\nquit\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	pw.WriteString("secret\n")
	pw.Close()
	defer pr.Close()
	host, port, _ := net.SplitHostPort(n.sieve)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sieve-connect", "--server", host, "--port", port, "--user", "dr.martin",
		"--passwordfd", "3", "--notlsverify", "--authmech", "PLAIN", "--exec", cmds)
	cmd.ExtraFiles = []*os.File{pr}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sieve-connect to node %s: %v\n%s", n.name, err, out)
	}
}

// stored counts the messages of martin's Maildir (every folder) by
// Message-ID.
func (c *cluster) stored(t *testing.T) map[string]int {
	t.Helper()
	root := filepath.Join(c.dir, "mail", "medecin.mssante.fr", "dr.martin", "Maildir")
	counts := map[string]int{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil
			}
			return err
		}
		dir := filepath.Base(filepath.Dir(p))
		if d.IsDir() || (dir != "new" && dir != "cur") {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := sc.Text()
			if id, ok := strings.CutPrefix(line, "Message-ID: <"); ok {
				counts[strings.TrimSuffix(id, "@chu-nantes.mssante.fr>")]++
				break
			}
			if line == "" {
				break
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return counts
}

// inFolder reports whether the message id is in sub of martin's Maildir
// (e.g. ".Labo/new").
func (c *cluster) inFolder(t *testing.T, sub, id string) bool {
	t.Helper()
	dir := filepath.Join(c.dir, "mail", "medecin.mssante.fr", "dr.martin", "Maildir", sub)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err == nil && strings.Contains(string(b), "Message-ID: <"+id+"@") {
			return true
		}
	}
	return false
}

const (
	sieveLabo     = "require [\"fileinto\"];\r\nfileinto \"Labo\";\r\n"
	sieveVacation = "require [\"vacation\"];\r\nvacation :days 7 :subject \"Absent\" \"Je suis absent jusqu'au 5 janvier.\";\r\n"
)

func TestCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Redis and two tamis serve processes")
	}
	c := startCluster(t, 2)
	a, b := c.nodes[0], c.nodes[1]

	t.Run("UploadOnASeenByB", func(t *testing.T) {
		// B compiles martin's policy (none yet) and keeps it.
		if err := deliver(b.lmtp, girard, martin, clusterMail("avant")); err != nil {
			t.Fatal(err)
		}
		if !c.inFolder(t, "new", "avant") {
			t.Fatal("before the upload, B did not keep the message in the inbox")
		}
		c.upload(t, a, "labo", sieveLabo)
		uploaded := time.Now()
		var took time.Duration
		for i := 0; ; i++ {
			id := fmt.Sprintf("apres-%d", i)
			if err := deliver(b.lmtp, girard, martin, clusterMail(id)); err != nil {
				t.Fatal(err)
			}
			if c.inFolder(t, ".Labo/new", id) {
				took = time.Since(uploaded)
				break
			}
			if time.Since(uploaded) > 5*time.Second {
				t.Fatal("5 s after the upload through A, B still does not file into Labo")
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Logf("upload through A's ManageSieve changed B's delivery within %v", took)
		if took > time.Second {
			t.Errorf("B followed the upload through A after %v; want within a second", took)
		}
	})

	t.Run("OneReplyFrom200Deliveries", func(t *testing.T) {
		c.upload(t, a, "absence", sieveVacation)
		time.Sleep(200 * time.Millisecond) // both nodes recompile (the test above bounds it)
		before := len(c.sink.Messages())
		var wg sync.WaitGroup
		var failed atomic.Int32
		start := time.Now()
		release := make(chan struct{})
		for i := range 200 {
			n := c.nodes[i%2]
			wg.Go(func() {
				<-release // all 200 at once, 100 per node
				if err := deliver(n.lmtp, girard, martin, clusterMail(fmt.Sprintf("rafale-%d", i))); err != nil {
					failed.Add(1)
					t.Errorf("delivery %d through %s: %v", i, n.name, err)
				}
			})
		}
		close(release)
		wg.Wait()
		t.Logf("200 deliveries across 2 nodes in %v", time.Since(start))
		if failed.Load() > 0 {
			t.FailNow()
		}
		replies := c.sink.Wait(before+2, 2*time.Second)[before:]
		if len(replies) != 1 {
			t.Fatalf("%d absence replies for 200 messages from one sender across two nodes; want exactly 1", len(replies))
		}
		if r := replies[0]; r.From != "" || len(r.To) != 1 || r.To[0] != girard || !strings.Contains(r.Data, "Subject: Absent") {
			t.Errorf("reply %+v", r)
		}
		counts := c.stored(t)
		for i := range 200 {
			if id := fmt.Sprintf("rafale-%d", i); counts[id] != 1 {
				t.Errorf("%s stored %d times; want once", id, counts[id])
			}
		}
	})

	t.Run("RedisRestartLosesNothing", func(t *testing.T) {
		before := len(c.sink.Messages())
		const total = 60
		var deferred atomic.Int32
		var delivered atomic.Int32
		var wg sync.WaitGroup
		sem := make(chan struct{}, 6)
		for i := range total {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				id := fmt.Sprintf("panne-%d", i)
				deadline := time.Now().Add(60 * time.Second)
				// As an MTA does: a 4xx is retried later, on either node.
				for try := 0; ; try++ {
					err := deliver(c.nodes[(i+try)%2].lmtp, girard, martin, clusterMail(id))
					if err == nil {
						delivered.Add(1)
						return
					}
					var se *smtp.SMTPError
					if !errors.As(err, &se) || se.Code/100 != 4 {
						t.Errorf("%s: %v; want 250 or a 4xx to retry", id, err)
						return
					}
					deferred.Add(1)
					if time.Now().After(deadline) {
						t.Errorf("%s still deferred after 60 s: %v", id, err)
						return
					}
					time.Sleep(200 * time.Millisecond)
				}
			})
		}
		// Kill Redis once a third is delivered, restart it 1.5 s later
		// (here, in the test's goroutine: Restart may end the test).
		for wait := time.Now(); delivered.Load() < total/3; time.Sleep(5 * time.Millisecond) {
			if time.Since(wait) > 30*time.Second {
				wg.Wait()
				t.Fatalf("only %d of %d delivered in 30 s before Redis was stopped", delivered.Load(), total)
			}
		}
		c.redis.Kill()
		time.Sleep(1500 * time.Millisecond)
		c.redis.Restart()
		wg.Wait()
		t.Logf("%d deliveries deferred (4xx) while Redis was down; %d delivered", deferred.Load(), delivered.Load())
		if deferred.Load() == 0 {
			t.Error("no delivery was deferred: the outage was not exercised")
		}
		counts := c.stored(t)
		for i := range total {
			if id := fmt.Sprintf("panne-%d", i); counts[id] != 1 {
				t.Errorf("%s stored %d times; want exactly once", id, counts[id])
			}
		}
		// The claim of the reply survived (appendfsync always): no second
		// reply to the same sender.
		if got := c.sink.Wait(before+1, 500*time.Millisecond)[before:]; len(got) != 0 {
			t.Errorf("%d more replies after the Redis restart; want none (already replied)", len(got))
		}
		// And B follows uploads again after the restart.
		c.upload(t, a, "labo", sieveLabo)
		deadline := time.Now().Add(3 * time.Second)
		for i := 0; !c.inFolder(t, ".Labo/new", fmt.Sprintf("relance-%d", i-1)); i++ {
			if time.Now().After(deadline) {
				t.Fatal("after the Redis restart, B does not follow an upload through A")
			}
			if err := deliver(b.lmtp, girard, martin, clusterMail(fmt.Sprintf("relance-%d", i))); err != nil {
				t.Fatal(err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}
