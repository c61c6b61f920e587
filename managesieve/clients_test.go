package managesieve_test

// Tests with the ManageSieve clients people use, each driven against an
// in-process server on 127.0.0.1:0 with STARTTLS (or TLS) and plaintext
// authentication refused, as in production: sieve-connect (Debian
// sieve-connect), Python's sievelib (python3-sievelib) and PHP's Net_Sieve
// (php-net-sieve, the library Roundcube uses).

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tamis-mss/tamis/internal/testenv"
	"github.com/tamis-mss/tamis/managesieve"
	"github.com/tamis-mss/tamis/store"
)

var (
	trustedScript = vacationScript("secretariat@esantepdl.mssante.fr")
	refusedScript = vacationScript("secretariat@outlook.fr")
)

// clientFixture writes the scripts a client uploads and returns their
// directory.
func clientFixture(t *testing.T) string {
	t.Helper()
	d := t.TempDir()
	for name, text := range map[string]string{"trusted.sieve": trustedScript, "refused.sieve": refusedScript, "other.sieve": "keep;\r\n"} {
		if err := os.WriteFile(filepath.Join(d, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

func tlsOnly(c *managesieve.Config) { c.AllowPlaintextAuth = false }

// checkStore checks what every client leaves: the trusted script, verbatim,
// active under its final name, and no refused or deleted script.
func checkStore(t *testing.T, e *env, activeName string) {
	t.Helper()
	infos, err := e.store.Scripts(context.Background(), testMailbox)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, in := range infos {
		n := in.Name.String()
		if in.Active {
			n += "*"
		}
		names = append(names, n)
	}
	if got := strings.Join(names, " "); got != activeName+"*" {
		t.Errorf("store holds %q, want only %q active", got, activeName)
	}
	n, _ := store.ParseScriptName(activeName)
	sc, err := e.store.Script(context.Background(), testMailbox, n)
	if err != nil || string(sc.Sieve) != trustedScript {
		t.Errorf("stored script %q, %v; want the upload verbatim", sc.Sieve, err)
	}
	src, err := e.store.Sources(context.Background(), testMailbox)
	if err != nil || src.User == nil || !strings.Contains(string(src.User.Text), `copy to "secretariat@esantepdl.mssante.fr"`) {
		t.Errorf("user layer %+v, %v", src.User, err)
	}
}

func port(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}

func TestSieveConnect(t *testing.T) {
	bin := testenv.Command(t, "sieve-connect", "apt-get install sieve-connect")
	e := startServer(t, tlsOnly)
	d := clientFixture(t)
	got := filepath.Join(d, "got.sieve")
	script := strings.Join([]string{
		"put " + filepath.Join(d, "other.sieve") + " autre",
		"put " + filepath.Join(d, "trusted.sieve") + " roundcube",
		"list",
		"get roundcube " + got,
		"activate roundcube",
		"checkscript " + filepath.Join(d, "trusted.sieve"),
		"delete autre",
		"list",
		"put " + filepath.Join(d, "refused.sieve") + " refused",
		"quit",
	}, "\n") + "\n"
	execFile := filepath.Join(d, "commands")
	if err := os.WriteFile(execFile, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	pw.WriteString(testPassword + "\n")
	pw.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--server", "127.0.0.1", "--port", port(e.addr), "--user", testLogin,
		"--passwordfd", "3", "--notlsverify", "--authmech", "PLAIN", "--exec", execFile)
	cmd.ExtraFiles = []*os.File{pr}
	out, err := cmd.CombinedOutput()
	pr.Close()
	t.Logf("sieve-connect output:\n%s", out)
	if !strings.Contains(string(out), "outside the MSSanté trust space") {
		t.Errorf("sieve-connect did not show the refusal (exit %v)", err)
	}
	if b, err := os.ReadFile(got); err != nil || string(b) != trustedScript {
		t.Errorf("downloaded %q, %v; want the upload verbatim", b, err)
	}
	checkStore(t, e, "roundcube")
}

const sievelibScript = `
import sys
from sievelib.managesieve import Client
host, port, user, pw, d = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
read = lambda n: open(d + "/" + n, encoding="utf-8", newline="").read()
c = Client(host, port)
print("connect", c.connect(user, pw, starttls=True, authmech="PLAIN"))
print("sieve", " ".join(c.get_sieve_capabilities()))
print("put autre", c.putscript("autre", read("other.sieve")))
print("put roundcube", c.putscript("roundcube", read("trusted.sieve")))
print("havespace", c.havespace("x", 100))
print("list", c.listscripts())
got = c.getscript("roundcube")
# sievelib turns CRLF into LF and drops the final line break of what it
# receives; the server sends the upload verbatim (sieve-connect shows it).
print("get verbatim", got == read("trusted.sieve"))
print("get normalised", got == read("trusted.sieve").replace("\r\n", "\n").rstrip("\n"))
print("activate", c.setactive("roundcube"))
print("rename", c.renamescript("roundcube", "Congés"))
print("delete", c.deletescript("autre"))
print("check", c.checkscript(read("trusted.sieve")))
print("put refused", c.putscript("refused", read("refused.sieve")))
print("error", c.errmsg.decode() if isinstance(c.errmsg, bytes) else c.errmsg)
print("list", c.listscripts())
c.logout()
`

func TestSievelib(t *testing.T) {
	py := testenv.Command(t, "/usr/bin/python3", "apt-get install python3")
	if err := exec.Command(py, "-c", "import sievelib.managesieve").Run(); err != nil {
		testenv.Missing(t, "python3-sievelib", "apt-get install python3-sievelib", err)
	}
	e := startServer(t, tlsOnly)
	d := clientFixture(t)
	scriptFile := filepath.Join(d, "client.py")
	if err := os.WriteFile(scriptFile, []byte(sievelibScript), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, py, scriptFile, "127.0.0.1", port(e.addr), testLogin, testPassword, d).CombinedOutput()
	t.Logf("sievelib output:\n%s", out)
	if err != nil {
		t.Fatalf("sievelib: %v", err)
	}
	for _, w := range []string{
		"connect True", "put autre True", "put roundcube True", "havespace True",
		"get normalised True", "activate True", "rename True", "delete True", "check True",
		"put refused False", "outside the MSSanté trust space", "list ('Congés', [])",
	} {
		if !strings.Contains(string(out), w) {
			t.Errorf("sievelib output lacks %q", w)
		}
	}
	checkStore(t, e, "Congés")
}

const netSieveScript = `<?php
require_once 'Net/Sieve.php';
list(, $host, $port, $user, $pw, $d) = $argv;
$read = function ($n) use ($d) { return file_get_contents("$d/$n"); };
$s = new Net_Sieve();
$opts = array('ssl' => array('verify_peer' => false, 'verify_peer_name' => false, 'allow_self_signed' => true));
$show = function ($what, $r) { echo $what, ' ', (is_a($r, 'PEAR_Error') ? 'ERROR ' . $r->getMessage() : var_export($r, true)), "\n"; };
$show('connect', $s->connect($host, $port, $opts, true));
$show('login', $s->login($user, $pw, 'PLAIN'));
$show('extensions', implode(' ', $s->getExtensions()));
$show('put autre', $s->installScript('autre', $read('other.sieve')));
$show('put roundcube', $s->installScript('roundcube', $read('trusted.sieve'), true));
$show('havespace', $s->haveSpace('x', 100));
$active = null;
$show('list', implode(',', $s->listScripts($active)));
$show('active', $active);
$got = $s->getScript('roundcube');
// Net_Sieve keeps the CRLF that ends the literal's line: the script then
// ends with one more line break than was uploaded.
$show('get verbatim', $got === $read('trusted.sieve') . "\r\n");
$show('delete', $s->removeScript('autre'));
$show('put refused', $s->installScript('refused', $read('refused.sieve')));
$show('list', implode(',', $s->listScripts()));
$s->disconnect();
`

func TestNetSieve(t *testing.T) {
	php := testenv.Command(t, "php", "apt-get install php-cli")
	if _, err := os.Stat("/usr/share/php/Net/Sieve.php"); err != nil {
		testenv.Missing(t, "PHP Net_Sieve", "apt-get install php-net-sieve", err)
	}
	e := startServer(t, tlsOnly)
	d := clientFixture(t)
	scriptFile := filepath.Join(d, "client.php")
	if err := os.WriteFile(scriptFile, []byte(netSieveScript), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, php, scriptFile, "127.0.0.1", port(e.addr), testLogin, testPassword, d).CombinedOutput()
	t.Logf("Net_Sieve output:\n%s", out)
	if err != nil {
		t.Fatalf("php: %v", err)
	}
	for _, w := range []string{
		"connect true", "login true", "put autre true", "put roundcube true", "havespace true",
		"list 'autre,roundcube'", "active 'roundcube'", "get verbatim true", "delete true",
		"put refused ERROR", "outside the MSSanté trust space", "list 'roundcube'",
	} {
		if !strings.Contains(string(out), w) {
			t.Errorf("Net_Sieve output lacks %q", w)
		}
	}
	checkStore(t, e, "roundcube")
}
