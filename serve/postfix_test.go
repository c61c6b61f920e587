package serve

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tamis-mss/tamis/internal/smtpsink"
	"github.com/tamis-mss/tamis/internal/testenv"
)

// postfix is a private Postfix instance: its own configuration, queue and
// log under a temporary directory, an SMTP listener on loopback, mail for
// medecin.mssante.fr delivered over LMTP to tamis, everything else relayed
// to a sink.
type postfix struct {
	dir, etc string
	smtpAddr string
}

// startPostfix starts the instance; lmtpAddr is tamis's LMTP listener and
// relay the sink that stands for the rest of the MSSanté space.
func startPostfix(t *testing.T, lmtpAddr, relay string) *postfix {
	t.Helper()
	testenv.Command(t, "postfix", "apt-get install postfix")
	testenv.Command(t, "sendmail", "apt-get install postfix")
	if os.Geteuid() != 0 {
		testenv.Missing(t, "root (a private Postfix instance starts its master as root)", "run the test as root, as CI does", nil)
	}
	d := t.TempDir()
	// Postfix's daemons drop to the postfix user: they must reach the queue.
	for p := d; p != "/" && p != os.TempDir(); p = filepath.Dir(p) {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	pf := &postfix{dir: d, etc: filepath.Join(d, "etc"), smtpAddr: freeAddr(t)}
	for _, sub := range []string{"etc", "queue", "data"} {
		if err := os.Mkdir(filepath.Join(d, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command("chown", "postfix", filepath.Join(d, "data")).CombinedOutput(); err != nil {
		t.Fatalf("chown postfix: %v: %s", err, out)
	}
	main := fmt.Sprintf(`compatibility_level = 3.6
queue_directory = %[1]s/queue
data_directory = %[1]s/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.test.local
mydomain = test.local
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
virtual_mailbox_domains = medecin.mssante.fr
virtual_transport = lmtp:inet:%[2]s
relayhost = [%[3]s]:%[4]s
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
alias_maps =
alias_database =
local_recipient_maps =
maillog_file_prefixes = %[1]s
maillog_file = %[1]s/maillog
syslog_name = tamis-test
biff = no
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
smtputf8_enable = no
lmtp_connection_cache_on_demand = no
`, d, lmtpAddr, host(relay), port(relay))
	master := pf.smtpAddr + ` inet n - n - - smtpd
pickup    unix  n - n 1 1 pickup
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
smtp      unix  - - n - - smtp
relay     unix  - - n - - smtp
showq     unix  n - n - - showq
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
lmtp      unix  - - n - - lmtp
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
`
	for name, text := range map[string]string{"main.cf": main, "master.cf": master} {
		if err := os.WriteFile(filepath.Join(pf.etc, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command("postfix", "-c", pf.etc, "start").CombinedOutput(); err != nil {
		t.Fatalf("postfix start: %v: %s\n%s", err, out, pf.log())
	}
	t.Cleanup(func() {
		exec.Command("postfix", "-c", pf.etc, "stop").Run()
		if t.Failed() {
			t.Logf("Postfix log:\n%s", pf.log())
		}
	})
	waitFor(t, func() bool {
		c, err := net.Dial("tcp", pf.smtpAddr)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	return pf
}

func (pf *postfix) log() string {
	b, _ := os.ReadFile(filepath.Join(pf.dir, "maillog"))
	return string(b)
}

// sendmail injects msg with Postfix's sendmail(1).
func (pf *postfix) sendmail(t *testing.T, from, to, msg string) {
	t.Helper()
	cmd := exec.Command("sendmail", "-C", pf.etc, "-f", from, to)
	cmd.Stdin = strings.NewReader(msg)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sendmail: %v: %s", err, out)
	}
}

// flush asks Postfix to retry its deferred mail now, as an operator does
// with postqueue -f once a fault is repaired: the retry then does not wait
// for the queue manager's next scan of the deferred queue (which was seen
// to come a minute later on a loaded machine, whatever the backoff times).
func (pf *postfix) flush(t *testing.T) {
	t.Helper()
	if out, err := exec.Command("postqueue", "-c", pf.etc, "-f").CombinedOutput(); err != nil {
		t.Fatalf("postqueue -f: %v: %s", err, out)
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func host(addr string) string { h, _, _ := net.SplitHostPort(addr); return h }
func port(addr string) string { _, p, _ := net.SplitHostPort(addr); return p }

// switchProxy forwards TCP connections to a target, or, while down,
// closes them at once: a relay that is down.
type switchProxy struct {
	addr   string
	down   atomic.Bool
	target atomic.Pointer[string]
}

// startProxy listens; connections are forwarded once a target is stored.
func startProxy(t *testing.T) *switchProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &switchProxy{addr: ln.Addr().String()}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if p.down.Load() {
				c.Close()
				continue
			}
			go func() {
				defer c.Close()
				target := p.target.Load()
				if target == nil {
					return
				}
				u, err := net.Dial("tcp", *target)
				if err != nil {
					return
				}
				defer u.Close()
				go io.Copy(u, c)
				io.Copy(c, u)
			}()
		}
	}()
	return p
}

const policyPostfix = `
vacation "Congés" {
    from 2020-01-01 until 2099-01-01
    subject "Absent"
    reply """
        Bonjour,
        Je suis absent.
        """
    every 7 days
}
rule "Laboratoire" {
    when subject contains "labo"
    file into "Biologie"
}
rule "Secrétariat" {
    when subject contains "ordonnance"
    copy to "` + secret + `"
}
`

// TestPostfix drives tamis serve from a private Postfix: messages injected
// with sendmail, delivered over LMTP, copies and replies relayed back
// through Postfix to a sink; then the relay down, a refused reroute, and a
// restart in the middle of a batch.
func TestPostfix(t *testing.T) {
	begin := time.Now()
	sink := smtpsink.Start(t)
	proxy := startProxy(t)
	cabinet := "cabinet@medecin.mssante.fr"
	e := start(t, map[string]string{martin: policyPostfix,
		cabinet: "rule \"Tout\" {\n    when subject contains \"a\"\n    reroute to \"secretariat@outlook.fr\"\n}\n"},
		func(c *Config) { c.Relay.Address = proxy.addr })
	pf := startPostfix(t, e.srv.LMTPAddr().String(), sink.Addr)
	proxy.target.Store(&pf.smtpAddr)

	t.Run("deliveries", func(t *testing.T) {
		pf.sendmail(t, girard, martin, mail("labo 1", "résultats\n"))
		pf.sendmail(t, girard, martin, mail("ordonnance 1", "x\n"))
		waitLong(t, "the labo message in Biologie", func() bool {
			return len(e.maildirFiles(t, "dr.martin", "medecin.mssante.fr", ".Biologie/new")) == 1
		})
		waitLong(t, "the ordonnance message in the inbox", func() bool {
			return len(e.maildirFiles(t, "dr.martin", "medecin.mssante.fr", "new")) == 1
		})
		got := sink.Wait(2, 20*time.Second)
		var copyMsg, reply *smtpsink.Message
		for i := range got {
			switch {
			case got[i].From == "":
				reply = &got[i]
			case got[i].To[0] == secret:
				copyMsg = &got[i]
			}
		}
		if copyMsg == nil || copyMsg.From != girard || !strings.Contains(copyMsg.Data, "Subject: ordonnance 1") {
			t.Fatalf("the sink got %+v; want the copy to %s from %s", got, secret, girard)
		}
		if reply == nil || reply.To[0] != girard || !strings.Contains(reply.Data, "Auto-Submitted: auto-replied") ||
			!strings.Contains(reply.Data, "To: "+girard) {
			t.Fatalf("the sink got %+v; want one reply to %s with MAIL FROM:<> and Auto-Submitted", got, girard)
		}
		if len(got) != 2 {
			t.Fatalf("the sink got %d messages; want the copy and one reply (the second message's reply is suppressed)", len(got))
		}
	})

	t.Run("refused-reroute", func(t *testing.T) {
		pf.sendmail(t, girard, cabinet, mail("a reroute", "x\n"))
		waitLong(t, "the message kept in cabinet's inbox", func() bool {
			return len(e.maildirFiles(t, "cabinet", "medecin.mssante.fr", "new")) == 1
		})
		if !strings.Contains(e.logs.String(), "outlook.fr") || !strings.Contains(e.logs.String(), "outside") {
			t.Fatal("the refused reroute to outlook.fr is not in the log")
		}
		if m := e.metric(t, `tamis_policy_compiles_total{outcome="error"}`); !strings.HasSuffix(m, " 1") {
			t.Errorf("metric %q; want the refused policy counted", m)
		}
		for _, m := range sink.Messages() {
			if strings.Contains(strings.Join(m.To, ","), "outlook.fr") {
				t.Fatal("a message went to outlook.fr")
			}
		}
	})

	t.Run("relay-down", func(t *testing.T) {
		before := len(sink.Messages())
		proxy.down.Store(true)
		pf.sendmail(t, "other@chu-nantes.mssante.fr", martin, mail("ordonnance 2", "x\n"))
		waitLong(t, "Postfix deferring the delivery on tamis's 4xx", func() bool {
			return strings.Contains(pf.log(), "said: 451 4.4.0 <"+martin+"> relay unavailable")
		})
		if n := len(e.maildirFiles(t, "dr.martin", "medecin.mssante.fr", "new")); n != 1 {
			t.Fatalf("the inbox holds %d messages while the relay is down; want 1 (nothing stored for the deferred one)", n)
		}
		proxy.down.Store(false)
		pf.flush(t)
		waitLong(t, "the deferred message delivered once the relay is back", func() bool {
			return len(e.maildirFiles(t, "dr.martin", "medecin.mssante.fr", "new")) == 2
		})
		got := sink.Wait(before+2, 20*time.Second)
		copies, replies := 0, 0
		for _, m := range got[before:] {
			switch {
			case strings.Contains(m.Data, "Subject: ordonnance 2"):
				copies++
			case m.From == "" && m.To[0] == "other@chu-nantes.mssante.fr":
				replies++
			}
		}
		if copies != 1 || replies != 1 {
			t.Fatalf("%d copies of the deferred message and %d replies to its sender reached the sink; want 1 and 1", copies, replies)
		}
	})

	t.Run("restart-mid-batch", func(t *testing.T) {
		// Half the batch is queued and being delivered when tamis stops; the
		// other half is queued while it is down.
		const n = 20
		for i := range n / 2 {
			pf.sendmail(t, girard, "batch@medecin.mssante.fr", mail(fmt.Sprintf("batch %02d", i), "x\n"))
		}
		waitLong(t, "a few of the batch delivered", func() bool {
			return len(e.maildirFiles(t, "batch", "medecin.mssante.fr", "new")) >= 3
		})
		e.stop(t)
		e.srv.Close()
		for i := n / 2; i < n; i++ {
			pf.sendmail(t, girard, "batch@medecin.mssante.fr", mail(fmt.Sprintf("batch %02d", i), "x\n"))
		}
		stored := len(e.maildirFiles(t, "batch", "medecin.mssante.fr", "new"))
		if stored >= n {
			t.Fatalf("%d messages stored while tamis was down", stored)
		}
		t.Logf("%d of %d messages stored before the restart", stored, n)
		cfg := e.srv.cfg
		cfg.LMTP.Listen = e.srv.LMTPAddr().String()
		srv, err := New(cfg, e.srv.log)
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- srv.Serve(ctx) }()
		defer func() { cancel(); <-done }()
		pf.flush(t)
		waitLong(t, "the whole batch delivered after the restart", func() bool {
			return len(e.maildirFiles(t, "batch", "medecin.mssante.fr", "new")) >= n
		})
		time.Sleep(2 * time.Second) // a duplicate would arrive now
		seen := map[string]bool{}
		for _, f := range e.maildirFiles(t, "batch", "medecin.mssante.fr", "new") {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			_, rest, _ := strings.Cut(string(data), "Subject: ")
			subject, _, _ := strings.Cut(rest, "\n")
			if seen[subject] {
				t.Errorf("%q stored twice", subject)
			}
			seen[subject] = true
		}
		if len(seen) != n {
			t.Fatalf("%d distinct messages of %d stored", len(seen), n)
		}
	})
	t.Logf("Postfix end-to-end test: %s", time.Since(begin).Round(time.Millisecond))
}

func waitLong(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within 60 s: %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
