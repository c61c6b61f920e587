package maildir

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tamis-mss/tamis/internal/testenv"
)

// TestDovecotReadsIt stores messages with folders, flags and keywords, then
// asks Dovecot (a private instance, through doveadm) what it sees: the
// folder names, the flags and keywords of each message.
func TestDovecotReadsIt(t *testing.T) {
	dovecot := testenv.Command(t, "dovecot", "apt-get install dovecot-imapd")
	doveadm := testenv.Command(t, "doveadm", "apt-get install dovecot-imapd")
	if os.Geteuid() != 0 {
		testenv.Missing(t, "root (the Maildir is handed to Dovecot's mail user)", "run the test as root, as CI does", nil)
	}
	d := t.TempDir()
	for p := d; p != "/" && p != os.TempDir(); p = filepath.Dir(p) {
		os.Chmod(p, 0o755)
	}
	for _, sub := range []string{"run", "state", "mail"} {
		if err := os.Mkdir(filepath.Join(d, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	md := New(filepath.Join(d, "mail", "medecin.mssante.fr", "dr.martin", "Maildir"))
	deliver := func(subject string, folders []string, flags ...string) {
		t.Helper()
		var fs []Folder
		for _, name := range folders {
			f, err := ParseFolder(name, '/')
			if err != nil {
				t.Fatal(err)
			}
			fs = append(fs, f)
		}
		msg := "From: a@chu-nantes.mssante.fr\r\nSubject: " + subject + "\r\n\r\nx\r\n"
		if _, err := md.Deliver([]byte(msg), fs, flags); err != nil {
			t.Fatal(err)
		}
	}
	deliver("plain", []string{"INBOX"})
	deliver("labo", []string{"Biologie/Résultats", "INBOX"}, `\Seen`, `\Flagged`, "$Urgent", "Labo")
	deliver("factures", []string{"Comptes & factures"}, "Labo")
	// tamis runs as the mail user; here the test is root: hand the tree over.
	if out, err := exec.Command("chown", "-R", "nobody:nogroup", filepath.Join(d, "mail")).CombinedOutput(); err != nil {
		t.Fatalf("chown: %v: %s", err, out)
	}

	conf := filepath.Join(d, "dovecot.conf")
	if err := os.WriteFile(conf, fmt.Appendf(nil, `base_dir = %[1]s/run
state_dir = %[1]s/state
instance_name = tamis-maildir-%[2]d
log_path = %[1]s/dovecot.log
protocols =
listen = 127.0.0.1
ssl = no
mail_location = maildir:%[1]s/mail/%%d/%%n/Maildir
default_login_user = dovenull
default_internal_user = dovecot
namespace inbox {
  inbox = yes
  separator = /
}
passdb {
  driver = static
  args = nopassword=y
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=%[1]s/mail/%%d/%%n
}
`, d, time.Now().UnixNano()), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := exec.Command(dovecot, "-F", "-c", conf)
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		exec.Command(doveadm, "-c", conf, "stop").Run()
		srv.Wait()
	})
	sock := filepath.Join(d, "run", "auth-userdb")
	for deadline := time.Now().Add(10 * time.Second); ; {
		if c, err := net.Dial("unix", sock); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(d, "dovecot.log"))
			t.Fatalf("Dovecot did not start: %s", log)
		}
		time.Sleep(50 * time.Millisecond)
	}
	run := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(doveadm, append([]string{"-c", conf}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("doveadm %v: %v: %s", args, err, out)
		}
		return string(out)
	}
	user := "dr.martin@medecin.mssante.fr"
	boxes := strings.Fields(strings.ReplaceAll(run("mailbox", "list", "-u", user), " ", "_"))
	slices.Sort(boxes)
	if want := []string{"Biologie", "Biologie/Résultats", "Comptes_&_factures", "INBOX"}; !slices.Equal(boxes, want) {
		t.Errorf("Dovecot lists %q; want %q", boxes, want)
	}
	var got []string
	for _, block := range strings.Split(run("fetch", "-u", user, "mailbox hdr.subject flags", "all"), "\f") {
		var mailbox, subject, flags string
		for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
			k, v, _ := strings.Cut(line, ": ")
			switch k {
			case "mailbox":
				mailbox = v
			case "hdr.subject":
				subject = v
			case "flags":
				f := strings.Fields(strings.ReplaceAll(v, `\Recent`, ""))
				slices.Sort(f)
				flags = strings.Join(f, " ")
			}
		}
		if mailbox != "" {
			got = append(got, mailbox+" | "+subject+" | "+flags)
		}
	}
	slices.Sort(got)
	want := []string{
		"Biologie/Résultats | labo | $Urgent Labo \\Flagged \\Seen",
		"Comptes & factures | factures | Labo",
		"INBOX | labo | $Urgent Labo \\Flagged \\Seen",
		"INBOX | plain | ",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Dovecot sees\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
