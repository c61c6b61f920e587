package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/tamis-mss/tamis/internal/smtpsink"
	"github.com/tamis-mss/tamis/internal/testenv"
	"github.com/tamis-mss/tamis/parser"
	"github.com/tamis-mss/tamis/serve"
	"github.com/tamis-mss/tamis/sieve"
	"github.com/tamis-mss/tamis/store/dir"
)

// policy is the benchmark's policy: a secretary's copy and a security copy
// that the messages do not trigger, filing of laboratory results with a
// flag, and an absence block outside its window; the messages go to a
// folder or to the inbox.
const policy = `mailbox "dr.martin@medecin.mssante.fr"
timezone "Europe/Paris"

vacation "Congés d'été" {
    from 2020-07-14 until 2020-08-03
    subject "Absence"
    reply """
        Bonjour, je suis absent.
        """
}

rule "Secrétariat" {
    when all {
        from is "paul.girard@chu-nantes.mssante.fr"
        subject contains any ["ordonnance", "résultats"]
    }
    copy to "secretariat@esantepdl.mssante.fr"
}

rule "Laboratoire" {
    when from domain is "biogroup.mssante.fr"
    flag "\\Flagged"
    file into "Biologie"
}

rule "Lettres" {
    when subject contains "courrier"
    file into "Courrier"
}
`

const rcpt = "dr.martin@medecin.mssante.fr"

// messages are delivered in turn: one filed with a flag, one filed, one
// kept.
var messages = func() []string {
	body := strings.Repeat("Compte rendu de consultation, ligne de texte d'environ soixante-dix caractères.\r\n", 30)
	mk := func(from, subject string) string {
		return "Return-Path: <" + from + ">\r\nReceived: from mx.test.local by mx.test.local; Mon, 5 Jan 2026 09:00:00 +0100\r\n" +
			"From: <" + from + ">\r\nTo: <" + rcpt + ">\r\nSubject: " + subject + "\r\nDate: Mon, 5 Jan 2026 09:00:00 +0100\r\n" +
			"Message-ID: <" + subject + "@test.local>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body
	}
	return []string{
		mk("labo@biogroup.mssante.fr", "Resultats-NFS"),
		mk("dr.petit@medecin.mssante.fr", "courrier-adressage"),
		mk("dr.petit@medecin.mssante.fr", "question"),
	}
}()

// BenchmarkLMTP measures deliveries per second and latency percentiles
// over LMTP with N concurrent clients: tamis serve, then Dovecot's LMTP
// with Pigeonhole, same messages, same machine.
func BenchmarkLMTP(b *testing.B) {
	servers := []struct {
		name  string
		start func(b *testing.B) (addr string, mailRoot string)
	}{
		{"tamis", startTamis},
		{"dovecot", startDovecot},
	}
	for _, clients := range []int{1, 8} {
		for _, srv := range servers {
			b.Run(fmt.Sprintf("%s/clients=%d", srv.name, clients), func(b *testing.B) {
				addr, root := srv.start(b)
				run(b, addr, clients)
				checkStored(b, root)
			})
		}
	}
}

// run sends b.N messages over clients connections and reports msgs/s,
// p50-ms and p99-ms (from MAIL FROM to the recipient's answer).
func run(b *testing.B, addr string, clients int) {
	conns := make([]*smtp.Client, clients)
	for i := range conns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			b.Fatal(err)
		}
		conns[i] = smtp.NewClientLMTP(c)
		if err := conns[i].Hello("bench.test.local"); err != nil {
			b.Fatal(err)
		}
		defer conns[i].Close()
	}
	lat := make([][]time.Duration, clients)
	var next sync.Mutex
	sent := 0
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Go(func() {
			for {
				next.Lock()
				if sent >= b.N {
					next.Unlock()
					return
				}
				n := sent
				sent++
				next.Unlock()
				t0 := time.Now()
				if err := deliver(c, messages[n%len(messages)]); err != nil {
					b.Error(err)
					return
				}
				lat[i] = append(lat[i], time.Since(t0))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	all := slices.Concat(lat...)
	slices.Sort(all)
	if len(all) == 0 {
		return
	}
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "msgs/s")
	b.ReportMetric(ms(all[len(all)/2]), "p50-ms")
	b.ReportMetric(ms(all[min(len(all)-1, len(all)*99/100)]), "p99-ms")
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func deliver(c *smtp.Client, msg string) error {
	if err := c.Mail("sender@test.local", nil); err != nil {
		return err
	}
	if err := c.Rcpt(rcpt, nil); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, msg); err != nil {
		return err
	}
	_, err = w.CloseWithLMTPResponse()
	return err
}

// checkStored fails the benchmark when nothing reached the Biologie
// folder: both sides must run the policy, not just store.
func checkStored(b *testing.B, root string) {
	var found bool
	var files []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && len(files) < 20 {
			files = append(files, p)
		}
		if err == nil && strings.Contains(p, "Biologie") && !d.IsDir() && strings.Contains(p, "/cur/") {
			found = true
		}
		return nil
	})
	if !found {
		log, _ := os.ReadFile(filepath.Join(filepath.Dir(root), "dovecot.log"))
		b.Fatalf("no flagged message in a Biologie folder under %s: the policy did not run; files:\n%s\n%s", root, strings.Join(files, "\n"), log)
	}
}

func startTamis(b *testing.B) (string, string) {
	d := b.TempDir()
	st, err := dir.Open(filepath.Join(d, "policies"))
	if err != nil {
		b.Fatal(err)
	}
	if err := st.PutLayer(context.Background(), rcpt, dir.Before, "10-bench.rules", []byte(policy)); err != nil {
		b.Fatal(err)
	}
	sink := smtpsink.Start(b)
	cfg := serve.DefaultConfig()
	cfg.LMTP.Listen = "127.0.0.1:0"
	cfg.Maildir.Path = filepath.Join(d, "mail", "%d", "%n", "Maildir")
	cfg.Relay.Address = sink.Addr
	cfg.Trust.List = testenv.TrustList(b)
	cfg.Trust.Checksum = testenv.TrustListSHA256
	cfg.Store.Path = filepath.Join(d, "policies")
	cfg.Replies.Path = filepath.Join(d, "replies.db")
	srv, err := serve.New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	b.Cleanup(func() {
		cancel()
		<-done
		srv.Close()
	})
	return srv.LMTPAddr().String(), filepath.Join(d, "mail")
}

// startDovecot runs a private Dovecot LMTP server (own configuration and
// base directory) whose users run the Sieve export of policy.
func startDovecot(b *testing.B) (string, string) {
	bin := testenv.Command(b, "dovecot", "apt-get install dovecot-lmtpd dovecot-sieve")
	if _, err := os.Stat("/usr/lib/dovecot/lmtp"); err != nil {
		testenv.Missing(b, "Dovecot's LMTP server", "apt-get install dovecot-lmtpd", err)
	}
	sievec := testenv.Command(b, "sievec", "apt-get install dovecot-sieve")
	d := b.TempDir()
	for p := d; p != "/" && p != os.TempDir(); p = filepath.Dir(p) {
		os.Chmod(p, 0o755)
	}
	for _, sub := range []string{"run", "state", "mail"} {
		if err := os.MkdirAll(filepath.Join(d, sub), 0o755); err != nil {
			b.Fatal(err)
		}
	}
	os.Chmod(filepath.Join(d, "mail"), 0o777)
	pol, diags := parser.Parse("bench.rules", []byte(policy), parser.DefaultOptions())
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	script, diags := sieve.Export(pol)
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	scriptPath := filepath.Join(d, "policy.sieve")
	if err := os.WriteFile(scriptPath, script, 0o644); err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	conf := filepath.Join(d, "dovecot.conf")
	if err := os.WriteFile(conf, fmt.Appendf(nil, `base_dir = %[1]s/run
state_dir = %[1]s/state
instance_name = tamis-bench-%[2]d
log_path = %[1]s/dovecot.log
protocols = lmtp
listen = 127.0.0.1
ssl = no
mail_location = maildir:%[1]s/mail/%%d/%%n/Maildir
default_login_user = dovenull
default_internal_user = dovecot
postmaster_address = postmaster@test.local
lmtp_save_to_detail_mailbox = no
lda_mailbox_autocreate = yes
lda_mailbox_autosubscribe = yes
passdb {
  driver = static
  args = nopassword=y
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=%[1]s/mail/%%d/%%n
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = %[2]d
  }
}
protocol lmtp {
  mail_plugins = $mail_plugins sieve
}
plugin {
  sieve = file:%[1]s/none;active=%[3]s
  sieve_extensions = +vacation-seconds
  sieve_user_log = %[1]s/mail/sieve.log
}
`, d, port, scriptPath), 0o644); err != nil {
		b.Fatal(err)
	}
	if out, err := exec.Command(sievec, "-c", conf, scriptPath).CombinedOutput(); err != nil {
		b.Fatalf("sievec: %v: %s", err, out)
	}
	cmd := exec.Command(bin, "-F", "-c", conf)
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(d, "dovecot.log"))
			b.Fatalf("Dovecot LMTP did not start: %s", log)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return ln.Addr().String(), filepath.Join(d, "mail")
}
