package managesieve_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tamis-mss/tamis/accounts"
	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/managesieve"
	"github.com/tamis-mss/tamis/parser"
	"github.com/tamis-mss/tamis/store"
	"github.com/tamis-mss/tamis/store/dir"
)

// vacationScript is what Roundcube's vacation form writes (CRLF, tabs),
// forwarding to target during the absence.
func vacationScript(target string) string {
	return strings.ReplaceAll(`require ["vacation","copy"];
# rule:[Absence]
if true
{
	vacation :days 7 :subject "Absence du Dr Martin" "Je suis absent jusqu'au 5 janvier.";
	redirect :copy "`+target+`";
}
`, "\n", "\r\n")
}

func want(t *testing.T, what, got, prefix string) {
	t.Helper()
	if !strings.HasPrefix(lastLine(got), prefix) {
		t.Fatalf("%s: got %q, want a final line starting with %q", what, got, prefix)
	}
}

func TestProtocol(t *testing.T) {
	e := startServer(t, func(c *managesieve.Config) { c.MaxScripts = 3; c.MaxScriptSize = 4096 })
	c := dial(t, e.addr)
	caps := c.send("CAPABILITY\r\n")
	for _, w := range []string{`"IMPLEMENTATION" "tamis"`, `"SASL" "PLAIN"`, `"STARTTLS"`, `"VERSION" "1.0"`, `"MAXREDIRECTS" "4"`, `"UNAUTHENTICATE"`, "vacation", "fileinto", "copy", "date"} {
		if !strings.Contains(caps, w) {
			t.Errorf("CAPABILITY lacks %s:\n%s", w, caps)
		}
	}
	if strings.Contains(caps, "include") || strings.Contains(caps, "variables") {
		t.Errorf("CAPABILITY lists an extension tamis does not import:\n%s", caps)
	}
	want(t, "LISTSCRIPTS before login", c.send("LISTSCRIPTS\r\n"), `NO "Authenticate first"`)
	want(t, "wrong password", c.login(testLogin, "wrong"), `NO "Authentication failed"`)
	want(t, "unknown login", c.login("nobody", "x"), `NO "Authentication failed"`)
	want(t, "login", c.login(testLogin, testPassword), "OK")
	if !strings.Contains(c.send("CAPABILITY\r\n"), `"OWNER" "dr.martin"`) {
		t.Error("CAPABILITY after login lacks OWNER")
	}

	trusted := vacationScript("secretariat@esantepdl.mssante.fr")
	want(t, "PUTSCRIPT trusted", c.send(`PUTSCRIPT "roundcube" `+literal(trusted)+"\r\n"), "OK")
	refused := c.send(`PUTSCRIPT "roundcube" ` + literal(vacationScript("secretariat@outlook.fr")) + "\r\n")
	want(t, "PUTSCRIPT outside the trust space", refused, "NO")
	for _, w := range []string{"line 6", "secretariat@outlook.fr", "outside the MSSanté trust space"} {
		if !strings.Contains(refused, w) {
			t.Errorf("refusal %q lacks %q", refused, w)
		}
	}
	if got := c.send(`GETSCRIPT "roundcube"` + "\r\n"); !strings.Contains(got, trusted) {
		t.Errorf("a refused upload replaced the script, or GETSCRIPT is not verbatim: %q", got)
	}
	want(t, "CHECKSCRIPT refused", c.send("CHECKSCRIPT "+literal(`redirect "x@gmail.com";`)+"\r\n"), "NO")
	want(t, "CHECKSCRIPT syntax", c.send("CHECKSCRIPT "+literal(`if true {`)+"\r\n"), `NO "line 1`)
	want(t, "CHECKSCRIPT fine", c.send("CHECKSCRIPT "+literal(`keep;`)+"\r\n"), "OK")
	want(t, "CHECKSCRIPT unknown extension", c.send("CHECKSCRIPT "+literal(`require "include"; keep;`)+"\r\n"), `OK (WARNINGS) "line 1: unsupported Sieve extension`)

	// A synchronising literal {n} is accepted too.
	want(t, "PUTSCRIPT {n}", c.send(fmt.Sprintf("PUTSCRIPT \"autre\" {%d}\r\n%s\r\n", 6, "keep;\n")), "OK")
	want(t, "LISTSCRIPTS", c.send("LISTSCRIPTS\r\n"), "OK")
	if got := c.send("LISTSCRIPTS\r\n"); got != "\"autre\"\n\"roundcube\"\nOK" {
		t.Errorf("LISTSCRIPTS = %q", got)
	}
	want(t, "SETACTIVE missing", c.send(`SETACTIVE "absent"`+"\r\n"), "NO (NONEXISTENT)")
	want(t, "SETACTIVE", c.send(`SETACTIVE "roundcube"`+"\r\n"), "OK")
	src, err := e.store.Sources(context.Background(), testMailbox)
	if err != nil || src.User == nil || !strings.Contains(string(src.User.Text), "secretariat@esantepdl.mssante.fr") {
		t.Fatalf("the active script is not the user layer: %+v %v", src.User, err)
	}
	// The stored policy is what the delivery agent compiles: it must.
	pol, pd := parser.Parse(src.User.Name, src.User.Text, parser.DefaultOptions())
	opts := engine.DefaultOptions()
	opts.Trust, opts.Mailbox = trust(t), testMailbox
	if prog, cd := engine.Compile(context.Background(), pol, opts); pd.HasErrors() || prog == nil {
		t.Fatalf("the stored policy does not compile: %v %v\n%s", pd, cd, src.User.Text)
	}
	if got := c.send("LISTSCRIPTS\r\n"); got != "\"autre\"\n\"roundcube\" ACTIVE\nOK" {
		t.Errorf("LISTSCRIPTS = %q", got)
	}
	want(t, "DELETESCRIPT active", c.send(`DELETESCRIPT "roundcube"`+"\r\n"), "NO (ACTIVE)")
	want(t, "RENAMESCRIPT onto existing", c.send(`RENAMESCRIPT "autre" "roundcube"`+"\r\n"), "NO (ALREADYEXISTS)")
	want(t, "RENAMESCRIPT missing", c.send(`RENAMESCRIPT "absent" "x"`+"\r\n"), "NO (NONEXISTENT)")
	want(t, "RENAMESCRIPT active", c.send(`RENAMESCRIPT "roundcube" "Congés"`+"\r\n"), "OK")
	if got := c.send("LISTSCRIPTS\r\n"); got != "\"Congés\" ACTIVE\n\"autre\"\nOK" {
		t.Errorf("LISTSCRIPTS after rename = %q", got)
	}
	want(t, "bad name", c.send(`PUTSCRIPT "../../etc/passwd" `+literal("keep;")+"\r\n"), `NO "Bad script name`)
	want(t, "HAVESPACE ok", c.send(`HAVESPACE "x" 100`+"\r\n"), "OK")
	want(t, "HAVESPACE too big", c.send(`HAVESPACE "x" 5000`+"\r\n"), "NO (QUOTA/MAXSIZE)")
	want(t, "PUTSCRIPT third", c.send(`PUTSCRIPT "trois" `+literal("keep;")+"\r\n"), "OK")
	want(t, "HAVESPACE count", c.send(`HAVESPACE "quatre" 10`+"\r\n"), "NO (QUOTA/MAXSCRIPTS)")
	want(t, "PUTSCRIPT count", c.send(`PUTSCRIPT "quatre" `+literal("keep;")+"\r\n"), "NO (QUOTA/MAXSCRIPTS)")
	want(t, "HAVESPACE replace", c.send(`HAVESPACE "trois" 10`+"\r\n"), "OK")
	want(t, "PUTSCRIPT too big", c.send(`PUTSCRIPT "trois" `+literal(strings.Repeat("#", 5000))+"\r\n"), "NO (QUOTA/MAXSIZE)")
	want(t, "DELETESCRIPT", c.send(`DELETESCRIPT "trois"`+"\r\n"), "OK")
	want(t, "DELETESCRIPT missing", c.send(`DELETESCRIPT "trois"`+"\r\n"), "NO (NONEXISTENT)")
	want(t, "SETACTIVE none", c.send(`SETACTIVE ""`+"\r\n"), "OK")
	if src, _ := e.store.Sources(context.Background(), testMailbox); src.User != nil {
		t.Error(`SETACTIVE "" left a user layer`)
	}
	want(t, "warnings", c.send(`PUTSCRIPT "w" `+literal("require \"include\";\r\nkeep;\r\n")+"\r\n"), `OK (WARNINGS) "line 1: unsupported Sieve extension`)
	want(t, "NOOP", c.send(`NOOP "tag1"`+"\r\n"), `OK (TAG "tag1") "Done"`)
	want(t, "unknown", c.send("FROBNICATE\r\n"), `NO "Unknown command FROBNICATE"`)
	want(t, "wrong arity", c.send("GETSCRIPT\r\n"), "NO")
	want(t, "atom argument", c.send("GETSCRIPT roundcube\r\n"), "NO")
	want(t, "bad quoted", c.send("GETSCRIPT \"a\\x\"\r\n"), "NO")
	want(t, "still alive", c.send("NOOP\r\n"), "OK")
	want(t, "UNAUTHENTICATE", c.send("UNAUTHENTICATE\r\n"), "OK")
	want(t, "after UNAUTHENTICATE", c.send("LISTSCRIPTS\r\n"), "NO")
	want(t, "LOGOUT", c.send("LOGOUT\r\n"), "OK")

	log := e.audit.String()
	for _, w := range []string{`"event":"putscript"`, `"answer":"NO"`, `"event":"setactive"`, `"event":"deletescript"`, `"event":"renamescript"`, `"reason":"bad credentials"`} {
		if !strings.Contains(log, w) {
			t.Errorf("audit log lacks %s", w)
		}
	}
	if strings.Contains(log, "Je suis absent") {
		t.Error("the audit log holds a script body")
	}
}

func TestDelegateChoosesMailbox(t *testing.T) {
	e := startServer(t, nil)
	c := dial(t, e.addr)
	ir := func(authz, user string) string {
		return fmt.Sprintf("AUTHENTICATE \"PLAIN\" \"%s\"\r\n", b64(authz+"\x00"+user+"\x00"+testPassword))
	}
	want(t, "authz not granted", c.send(ir("autre@medecin.mssante.fr", "secretariat")), "NO")
	want(t, "authz granted", c.send(ir(testMailbox, "secretariat")), "OK")
	want(t, "put", c.send(`PUTSCRIPT "s" `+literal("keep;")+"\r\n"), "OK")
	if infos, _ := e.store.Scripts(context.Background(), testMailbox); len(infos) != 1 {
		t.Errorf("the delegate's upload is not in the chosen mailbox: %+v", infos)
	}
}

func TestPlaintextRefusedWithoutTLS(t *testing.T) {
	e := startServer(t, func(c *managesieve.Config) { c.AllowPlaintextAuth = false })
	c := dial(t, e.addr)
	caps := c.send("CAPABILITY\r\n")
	if !strings.Contains(caps, `"SASL" ""`) || !strings.Contains(caps, `"STARTTLS"`) {
		t.Errorf("without TLS: %s", caps)
	}
	want(t, "AUTHENTICATE without TLS", c.login(testLogin, testPassword), "NO (ENCRYPT-NEEDED)")
	want(t, "STARTTLS", c.send("STARTTLS\r\n"), "OK")
	tc := tls.Client(c.conn, &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // the test's own certificate
	if err := tc.Handshake(); err != nil {
		t.Fatal(err)
	}
	c2 := &client{t: t, conn: tc, br: newReader(tc)}
	caps = c2.response()
	if !strings.Contains(caps, `"SASL" "PLAIN"`) || strings.Contains(caps, `"STARTTLS"`) {
		t.Errorf("capabilities after STARTTLS: %s", caps)
	}
	want(t, "login over TLS", c2.login(testLogin, testPassword), "OK")
	want(t, "STARTTLS again", c2.send("STARTTLS\r\n"), "NO")
}

func TestStartTLSInjection(t *testing.T) {
	e := startServer(t, nil)
	c := dial(t, e.addr)
	want(t, "pipelined STARTTLS", c.send("STARTTLS\r\nLISTSCRIPTS\r\n"), "BYE")
}

func TestLimitsAndTimeouts(t *testing.T) {
	e := startServer(t, func(c *managesieve.Config) {
		c.MaxScriptSize = 1000
		c.IdleTimeout = 300 * time.Millisecond
	})
	c := dial(t, e.addr)
	want(t, "login", c.login(testLogin, testPassword), "OK")
	want(t, "literal far too big", c.send("PUTSCRIPT \"a\" {999999999+}\r\n"), "BYE")
	c = dial(t, e.addr)
	want(t, "long line", c.send("NOOP \""+strings.Repeat("a", 20000)+"\"\r\n"), "BYE")
	c = dial(t, e.addr)
	time.Sleep(600 * time.Millisecond)
	if got := c.response(); !strings.HasPrefix(got, "BYE") {
		t.Errorf("idle connection: %q, want BYE", got)
	}
}

func TestFailedLoginsCostTime(t *testing.T) {
	e := startServer(t, nil)
	c := dial(t, e.addr)
	var last time.Duration
	for i := range 3 {
		start := time.Now()
		want(t, "bad login", c.login(testLogin, "wrong"), "NO")
		last = time.Since(start)
		_ = i
	}
	// Base 50 ms doubling: the third failure waited at least 100 ms.
	if last < 100*time.Millisecond {
		t.Errorf("the third failed login took %v, want the throttle's delay", last)
	}
}

func TestConcurrentUploads(t *testing.T) {
	e := startServer(t, nil)
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Go(func() {
			c := dial(t, e.addr)
			if got := c.login(testLogin, testPassword); !strings.HasPrefix(got, "OK") {
				t.Errorf("login: %s", got)
				return
			}
			for i := range 5 {
				s := fmt.Sprintf("# writer %d version %d\r\nkeep;\r\n", w, i)
				if got := c.send(`PUTSCRIPT "roundcube" ` + literal(s) + "\r\n"); !strings.HasPrefix(got, "OK") {
					t.Errorf("PUTSCRIPT: %s", got)
				}
			}
		})
	}
	wg.Wait()
	n, _ := store.ParseScriptName("roundcube")
	sc, err := e.store.Script(context.Background(), testMailbox, n)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(sc.Sieve), "# writer ") || !strings.Contains(string(sc.Sieve), "version 4") {
		t.Errorf("after concurrent uploads: %q", sc.Sieve)
	}
}

func TestGracefulShutdown(t *testing.T) {
	e := startServer(t, nil)
	c := dial(t, e.addr)
	want(t, "login", c.login(testLogin, testPassword), "OK")
	e.stop() // the idle client gets BYE and Serve returns
	_ = c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	l, _ := c.br.ReadString('\n')
	if !strings.HasPrefix(l, "BYE") {
		t.Errorf("at shutdown the client got %q, want BYE", l)
	}
}

func TestImplicitTLS(t *testing.T) {
	tmp := t.TempDir()
	st, err := dir.Open(tmp + "/store")
	if err != nil {
		t.Fatal(err)
	}
	auth, err := accounts.OpenFile(usersFile(t, tmp))
	if err != nil {
		t.Fatal(err)
	}
	cfg := selfSigned(t)
	srv, err := managesieve.NewServer(managesieve.DefaultConfig(), managesieve.Options{Store: st, Authenticator: auth, TLS: cfg})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, tls.NewListener(ln, cfg)) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	conn, err := tls.Dial("tcp", ln.Addr().String(), &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // the test's own certificate
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	c := &client{t: t, conn: conn, br: newReader(conn)}
	caps := c.response()
	if !strings.Contains(caps, `"SASL" "PLAIN"`) || strings.Contains(caps, `"STARTTLS"`) {
		t.Errorf("greeting on the TLS port: %s", caps)
	}
	want(t, "login over implicit TLS", c.login(testLogin, testPassword), "OK")
	want(t, "STARTTLS on the TLS port", c.send("STARTTLS\r\n"), "NO")
}

func TestConnectionLimit(t *testing.T) {
	e := startServer(t, func(c *managesieve.Config) { c.MaxConnections = 1 })
	first := dial(t, e.addr)
	conn, err := net.Dial("tcp", e.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	second := &client{t: t, conn: conn, br: newReader(conn)}
	if got := second.response(); !strings.HasPrefix(got, "BYE (TRYLATER)") {
		t.Errorf("a connection over the limit got %q", got)
	}
	want(t, "the first connection still works", first.send("NOOP\r\n"), "OK")
}
