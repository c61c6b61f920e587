package serve

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tamis-mss/tamis/internal/testenv"
)

// swaks runs swaks against the server's LMTP port and returns its
// transcript; ok is swaks's success.
func (e *env) swaks(t *testing.T, args ...string) (string, bool) {
	t.Helper()
	testenv.Command(t, "swaks", "apt-get install swaks")
	addr := e.srv.LMTPAddr().(*net.TCPAddr)
	all := append([]string{"--protocol", "LMTP", "--server", "127.0.0.1", "--port", strconv.Itoa(addr.Port),
		"--helo", "mx.test.local", "--from", girard, "--to", martin, "--timeout", "10"}, args...)
	out, err := exec.Command("swaks", all...).CombinedOutput()
	return string(out), err == nil
}

func TestSwaksSession(t *testing.T) {
	e := start(t, nil)
	out, ok := e.swaks(t, "--header", "Subject: swaks", "--body", "Bonjour depuis swaks.")
	if !ok || !strings.Contains(out, "<-  250") {
		t.Fatalf("swaks failed:\n%s", out)
	}
	if n := len(e.maildirFiles(t, "dr.martin", "medecin.mssante.fr", "new")); n != 1 {
		t.Fatalf("%d messages stored; want 1", n)
	}
}

func TestOversizedMessage(t *testing.T) {
	e := start(t, nil, func(c *Config) { c.LMTP.MaxMessageBytes = 4096 })
	out, ok := e.swaks(t, "--body", strings.Repeat("0123456789abcdef\n", 1000))
	if ok || !strings.Contains(out, "552") {
		t.Fatalf("an oversized message was not refused with 552:\n%s", out)
	}
	if n := len(e.maildirFiles(t, "dr.martin", "medecin.mssante.fr", "new")); n != 0 {
		t.Fatalf("%d messages stored; want none", n)
	}
	if !strings.Contains(out, "SIZE 4096") {
		t.Errorf("LHLO does not announce SIZE 4096:\n%s", out)
	}
}

// lmtpDialog sends lines one at a time and returns the first line of each
// answer.
func lmtpDialog(t *testing.T, addr string, lines ...string) []string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	readAnswer := func() string {
		var first string
		for {
			l, err := r.ReadString('\n')
			if err != nil {
				return "EOF"
			}
			if first == "" {
				first = strings.TrimRight(l, "\r\n")
			}
			if len(l) < 4 || l[3] != '-' {
				return first
			}
		}
	}
	answers := []string{readAnswer()}
	for _, l := range lines {
		if _, err := c.Write([]byte(l + "\r\n")); err != nil {
			answers = append(answers, "write: "+err.Error())
			continue
		}
		answers = append(answers, readAnswer())
	}
	return answers
}

func TestMalformedCommands(t *testing.T) {
	e := start(t, nil)
	addr := e.srv.LMTPAddr().String()
	got := lmtpDialog(t, addr,
		"HELO mx",                      // SMTP's greeting: LMTP wants LHLO
		"LHLO mx",                      // fine
		"RCPT TO:<"+martin+">",         // before MAIL: a sequence error
		"MAIL FROM:<"+girard,           // unbalanced bracket
		"MAIL FROM:<"+girard+"> BAD=1", // unknown parameter
		"MAIL FROM:<"+girard+">",
		"RCPT TO:<no-at-sign>",
		"RCPT TO:<../../etc/passwd@x>",
		"DATA",   // no valid recipient
		"FOOBAR", // unknown: 500 or 501
		"QUIT",
	)
	want := []string{"220", "500", "250", "50", "501", "5", "250", "501", "550", "502", "50", "221"}
	if len(got) != len(want) {
		t.Fatalf("answers %q", got)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("answer %d = %q; want %s…", i, got[i], want[i])
		}
	}
	// An overlong line ends the session with an answer, not a hang.
	got = lmtpDialog(t, addr, "LHLO "+strings.Repeat("x", 5000))
	if !strings.HasPrefix(got[1], "500") {
		t.Errorf("overlong line answered %q; want 500", got[1])
	}
	// The server still delivers.
	if a := e.send(t, girard, []string{martin}, mail("after", "x\r\n"))[martin]; a != nil {
		t.Fatalf("delivery after the malformed sessions: %v", a)
	}
}

func TestDisconnectMidData(t *testing.T) {
	e := start(t, nil)
	c, err := net.Dial("tcp", e.srv.LMTPAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(c)
	for _, l := range []string{"", "LHLO mx", "MAIL FROM:<" + girard + ">", "RCPT TO:<" + martin + ">", "DATA"} {
		if l != "" {
			c.Write([]byte(l + "\r\n"))
		}
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatal(err)
			}
			if line[3] != '-' {
				break
			}
		}
	}
	c.Write([]byte("Subject: cut\r\n\r\nthe first half of the body"))
	c.Close()
	time.Sleep(200 * time.Millisecond)
	if n := len(e.maildirFiles(t, "dr.martin", "medecin.mssante.fr", "new")); n != 0 {
		t.Fatalf("%d messages stored from a session cut mid-DATA; want none", n)
	}
	if n := e.maildirFiles(t, "dr.martin", "medecin.mssante.fr", "tmp"); len(n) != 0 {
		t.Fatalf("tmp holds %v", n)
	}
	if a := e.send(t, girard, []string{martin}, mail("after", "x\r\n"))[martin]; a != nil {
		t.Fatalf("delivery after the cut session: %v", a)
	}
}

// TestFullDisk delivers onto a 64 KiB tmpfs: the message that does not fit
// is answered 452 and nothing of it stays.
func TestFullDisk(t *testing.T) {
	if os.Geteuid() != 0 {
		testenv.Missing(t, "root (the test mounts a small tmpfs)", "run the test as root, as CI does", nil)
	}
	mnt := filepath.Join(t.TempDir(), "mail")
	if err := os.Mkdir(mnt, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt).CombinedOutput(); err != nil {
		testenv.Missing(t, "mount -t tmpfs", "run the test where root may mount (CI)", fmtErr(err, out))
	}
	t.Cleanup(func() { exec.Command("umount", mnt).Run() })
	e := start(t, nil, func(c *Config) { c.Maildir.Path = filepath.Join(mnt, "%d", "%n", "Maildir") })
	if out, ok := e.swaks(t, "--body", "small"); !ok {
		t.Fatalf("a small message did not fit:\n%s", out)
	}
	out, ok := e.swaks(t, "--body", strings.Repeat("0123456789abcdef\n", 6000))
	if ok || !strings.Contains(out, "452 4.3.1") {
		t.Fatalf("a message larger than the free space was not answered 452 4.3.1:\n%s", out)
	}
	md := filepath.Join(mnt, "medecin.mssante.fr", "dr.martin", "Maildir")
	for _, sub := range []string{"new", "tmp"} {
		entries, _ := os.ReadDir(filepath.Join(md, sub))
		if want := map[string]int{"new": 1, "tmp": 0}[sub]; len(entries) != want {
			t.Errorf("%s holds %d files; want %d", sub, len(entries), want)
		}
	}
}

func fmtErr(err error, out []byte) error {
	if len(out) == 0 {
		return err
	}
	return &cmdError{err: err, out: strings.TrimSpace(string(out))}
}

type cmdError struct {
	err error
	out string
}

func (e *cmdError) Error() string { return e.err.Error() + ": " + e.out }
