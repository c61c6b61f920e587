//go:build e2e

package managesieve_test

// The end-to-end test with the webmail people use: Debian's Roundcube, its
// managesieve plugin pointed at tamis, a private Dovecot IMAP server for the
// login, PHP's built-in web server, driven by headless Chromium. It needs
// the Debian packages roundcube, roundcube-plugins, roundcube-sqlite3,
// dovecot-imapd, php-cli and chromium; .ci/run runs it with
//
//	go test -tags e2e -run TestRoundcube ./managesieve
//
// TAMIS_E2E_SCREENSHOT names a PNG file to receive the screenshot of the
// refusal (docs/roundcube-refusal.png is one).

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tamis-mss/tamis/internal/testenv"
	"github.com/tamis-mss/tamis/store"
)

const roundcubeShare = "/usr/share/roundcube"

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func waitPort(t *testing.T, port int, what string, logFile string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		if err == nil {
			c.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	log, _ := os.ReadFile(logFile)
	t.Fatalf("%s did not listen on %d:\n%s", what, port, log)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// startProcess runs a service until the test ends, then stops it with
// SIGTERM (SIGKILL after 5 s).
func startProcess(t *testing.T, cmd *exec.Cmd, logFile string) {
	t.Helper()
	out, err := os.Create(logFile)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		out.Close()
	})
}

// startDovecot runs a private Dovecot IMAP server (own configuration, base
// directory and passwd file) with testLogin; it returns its port.
func startDovecot(t *testing.T, work string) int {
	bin := testenv.Command(t, "dovecot", "apt-get install dovecot-imapd")
	port := freePort(t)
	d := filepath.Join(work, "dovecot")
	for _, sub := range []string{"run", "state", "mail"} {
		if err := os.MkdirAll(filepath.Join(d, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(filepath.Join(d, "mail"), 0o777); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(d, "passwd"), testLogin+":{PLAIN}"+testPassword+"\n")
	conf := filepath.Join(d, "dovecot.conf")
	writeFile(t, conf, fmt.Sprintf(`base_dir = %[1]s/run
state_dir = %[1]s/state
instance_name = tamis-e2e-%[2]d
log_path = %[1]s/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:%[1]s/mail/%%n
default_login_user = dovenull
default_internal_user = dovecot
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%u %[1]s/passwd
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=%[1]s/mail/%%n
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = %[2]d
  }
  inet_listener imaps {
    port = 0
  }
}
`, d, port))
	startProcess(t, exec.Command(bin, "-F", "-c", conf), filepath.Join(d, "stdout.log"))
	waitPort(t, port, "Dovecot", filepath.Join(d, "dovecot.log"))
	return port
}

// startRoundcube builds a private Roundcube tree in work (symlinks to the
// Debian package's code, a private configuration, SQLite database, temp
// and log directories; /etc/roundcube is not touched) and serves it with
// PHP's built-in web server; it returns the base URL.
func startRoundcube(t *testing.T, work string, imapPort int, sieveAddr string) string {
	php := testenv.Command(t, "php", "apt-get install php-cli")
	if _, err := os.Stat(filepath.Join(roundcubeShare, "plugins", "managesieve", "managesieve.php")); err != nil {
		testenv.Missing(t, "Roundcube with its managesieve plugin", "apt-get install roundcube roundcube-plugins roundcube-sqlite3", err)
	}
	rc := filepath.Join(work, "roundcube")
	pub := filepath.Join(rc, "public_html")
	debianIndex, err := os.ReadFile("/var/lib/roundcube/public_html/index.php")
	if err != nil {
		testenv.Missing(t, "Debian's Roundcube tree", "apt-get install roundcube", err)
	}
	// A copy, not a link: INSTALL_PATH is the directory above it.
	writeFile(t, filepath.Join(pub, "index.php"), string(debianIndex))
	symlink(t, filepath.Join(roundcubeShare, "program", "js"), filepath.Join(pub, "program", "js"))
	symlink(t, filepath.Join(roundcubeShare, "program", "resources"), filepath.Join(pub, "program", "resources"))
	symlink(t, "/var/lib/roundcube/skins", filepath.Join(pub, "skins"))
	symlink(t, "../plugins", filepath.Join(pub, "plugins"))
	symlink(t, filepath.Join(roundcubeShare, "index.php"), filepath.Join(rc, "index.php"))
	symlink(t, filepath.Join(roundcubeShare, "program"), filepath.Join(rc, "program"))
	symlink(t, filepath.Join(roundcubeShare, "SQL"), filepath.Join(rc, "SQL"))
	symlink(t, "/var/lib/roundcube/skins", filepath.Join(rc, "skins"))
	plugins, err := os.ReadDir(filepath.Join(roundcubeShare, "plugins"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range plugins {
		symlink(t, filepath.Join(roundcubeShare, "plugins", p.Name()), filepath.Join(rc, "plugins", p.Name()))
	}
	symlink(t, filepath.Join(testenv.Root(t), "contrib", "roundcube", "tamis_refusals"), filepath.Join(rc, "plugins", "tamis_refusals"))
	for _, d := range []string{"temp", "logs", "db"} {
		if err := os.MkdirAll(filepath.Join(rc, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cfg := filepath.Join(rc, "config")
	for _, f := range []string{"defaults.inc.php", "mimetypes.php"} {
		b, err := os.ReadFile(filepath.Join("/etc/roundcube", f))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(cfg, f), string(b))
	}
	db := filepath.Join(rc, "db", "roundcube.db")
	writeFile(t, filepath.Join(cfg, "config.inc.php"), fmt.Sprintf(`<?php
$config = [];
$config['db_dsnw'] = 'sqlite:///%[1]s?mode=0644';
$config['imap_host'] = '127.0.0.1:%[2]d';
$config['smtp_host'] = '';
$config['des_key'] = 'tamis-e2e-test-key-24chr';
$config['plugins'] = ['managesieve', 'tamis_refusals'];
$config['skin'] = 'elastic';
$config['language'] = 'en_US';
$config['timezone'] = 'Europe/Paris';
$config['date_format'] = 'Y-m-d';
$config['temp_dir'] = '%[3]s/temp/';
$config['log_dir'] = '%[3]s/logs/';
$config['enable_installer'] = false;
$config['enable_spellcheck'] = false;
$config['managesieve_host'] = 'tls://%[4]s';
$config['managesieve_conn_options'] = ['ssl' => ['verify_peer' => false, 'verify_peer_name' => false, 'allow_self_signed' => true]];
$config['managesieve_vacation'] = 1;
$config['managesieve_script_name'] = 'roundcube';
$config['managesieve_debug'] = true; // read by tamis_refusals, never logged
`, db, imapPort, rc, sieveAddr))
	initDB := exec.Command(php, "-r", `$db = new PDO("sqlite:" . $argv[1]); $db->exec(file_get_contents($argv[2])) !== false or exit(1);`,
		db, filepath.Join(roundcubeShare, "SQL", "sqlite.initial.sql"))
	if out, err := initDB.CombinedOutput(); err != nil {
		t.Fatalf("create the Roundcube database: %v\n%s", err, out)
	}
	port := freePort(t)
	cmd := exec.Command(php, "-S", fmt.Sprintf("127.0.0.1:%d", port), "-t", pub)
	cmd.Env = append(os.Environ(), "PHP_CLI_SERVER_WORKERS=4", "ROUNDCUBE_CONFIG_DIR="+cfg)
	startProcess(t, cmd, filepath.Join(rc, "logs", "php-server.log"))
	waitPort(t, port, "PHP's web server", filepath.Join(rc, "logs", "php-server.log"))
	url := fmt.Sprintf("http://127.0.0.1:%d/", port)
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		log, _ := os.ReadFile(filepath.Join(rc, "logs", "errors.log"))
		t.Fatalf("Roundcube answered %s:\n%s", resp.Status, log)
	}
	return url
}

// waitMessage waits for a message in Roundcube's message stack that
// contains want, and returns the stack's text.
func waitMessage(ctx context.Context, want string) (string, error) {
	for {
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('#messagestack') || {innerText: ''}).innerText`))
		if err != nil {
			return text, err
		}
		if strings.Contains(text, want) {
			return text, nil
		}
		select {
		case <-ctx.Done():
			return text, fmt.Errorf("no message containing %q; the message stack shows %q", want, text)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func TestRoundcube(t *testing.T) {
	start := time.Now()
	chromium := testenv.Command(t, "chromium", "apt-get install chromium")
	e := startServer(t, tlsOnly)
	work, err := os.MkdirTemp("", "tamis-roundcube-")
	if err != nil {
		t.Fatal(err)
	}
	// Dovecot's mail processes run as nobody: the tree must be reachable.
	if err := os.Chmod(work, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(work) })
	imapPort := startDovecot(t, work)
	url := startRoundcube(t, work, imapPort, e.addr)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(filepath.Join(work, "chromium")), chromedp.WindowSize(1280, 860))...)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()
	// The first action runs without a timeout: it starts the browser.
	if err := chromedp.Do(browser, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(browser, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			log, _ := os.ReadFile(filepath.Join(work, "roundcube", "logs", "errors.log"))
			t.Fatalf("%s: %v\nRoundcube errors.log:\n%s", what, err, log)
		}
	}

	step("log in",
		chromedp.Navigate(url),
		chromedp.WaitVisible(`#rcmloginuser`),
		chromedp.SendKeys(`#rcmloginuser`, testLogin),
		chromedp.SendKeys(`#rcmloginpwd`, testPassword),
		chromedp.Click(`#rcmloginsubmit`),
		chromedp.WaitVisible(`#messagelist`),
	)
	vacationURL := url + "?_task=settings&_action=plugin.managesieve-vacation"
	fill := func(target string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{
			chromedp.SetValue(`#vacation_subject`, "Absence du Dr Martin"),
			chromedp.SetValue(`#vacation_reason`, "Bonjour,\nJe suis absent du 20 décembre au 5 janvier.\nEn cas d'urgence, appelez le 15."),
			chromedp.SetValue(`#vacation_datefrom`, "2025-12-20"),
			chromedp.SetValue(`#vacation_dateto`, "2026-01-05"),
			chromedp.SetValue(`#vacation_status`, "on"),
			chromedp.SetValue(`#vacation_action`, "copy"),
			chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := chromedp.Evaluate[bool](`vacation_action_select(), true`)(ctx, tg)
				return err
			}),
			chromedp.WaitVisible(`#action_target`),
			chromedp.SetValue(`#action_target`, target),
			chromedp.Click(`.formbuttons button.submit`),
		}
	}
	step("open the absence form", chromedp.Navigate(vacationURL), chromedp.WaitVisible(`#vacation_subject`))

	// Forward to an outlook.fr address: tamis refuses, the page says why.
	step("save with an address outside the trust space", fill("secretariat@outlook.fr")...)
	mctx, mcancel := context.WithTimeout(browser, 30*time.Second)
	shown, err := waitMessage(mctx, "outside the MSSanté trust space")
	mcancel()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Roundcube shows: %q", shown)
	if !strings.Contains(shown, "secretariat@outlook.fr") {
		t.Errorf("the refusal does not name the address: %q", shown)
	}
	// Show the address field beside the message in the screenshot.
	step("scroll to the address", chromedp.ScrollIntoView(`#action_target`))
	sctx, scancel := context.WithTimeout(browser, 30*time.Second)
	png, err := chromedp.Run(sctx, chromedp.CaptureScreenshot())
	scancel()
	if err != nil {
		t.Fatal(err)
	}
	shot := os.Getenv("TAMIS_E2E_SCREENSHOT")
	if shot == "" {
		shot = filepath.Join(work, "refusal.png")
	}
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	name, _ := store.ParseScriptName("roundcube")
	// Roundcube created an empty "roundcube" script at first use; the refused
	// version must not have replaced it.
	if sc, err := e.store.Script(context.Background(), testMailbox, name); err == nil && strings.Contains(string(sc.Sieve), "outlook.fr") {
		t.Fatalf("the refused script was stored:\n%s", sc.Sieve)
	}

	// A trusted address: saved.
	step("open the absence form again", chromedp.Navigate(vacationURL), chromedp.WaitVisible(`#vacation_subject`))
	step("save with a trusted address", fill("secretariat@esantepdl.mssante.fr")...)
	mctx, mcancel = context.WithTimeout(browser, 30*time.Second)
	if shown, err := waitMessage(mctx, "saved successfully"); err != nil {
		t.Fatalf("%v (shown: %q)", err, shown)
	}
	mcancel()

	// Reload: the form reads back what it wrote, through GETSCRIPT.
	step("reload the absence form", chromedp.Navigate(vacationURL), chromedp.WaitVisible(`#vacation_subject`))
	var values []string
	for _, sel := range []string{`#vacation_subject`, `#vacation_reason`, `#vacation_datefrom`, `#vacation_dateto`, `#vacation_status`, `#vacation_action`, `#action_target`} {
		vctx, vcancel := context.WithTimeout(browser, 10*time.Second)
		v, err := chromedp.Run(vctx, chromedp.Value(sel))
		vcancel()
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		values = append(values, v)
	}
	got := strings.Join(values, " | ")
	want := "Absence du Dr Martin | Bonjour,\nJe suis absent du 20 décembre au 5 janvier.\nEn cas d'urgence, appelez le 15. | 2025-12-20 | 2026-01-05 | on | copy | secretariat@esantepdl.mssante.fr"
	if got != want {
		t.Errorf("after reload the form shows\n%q\nwant\n%q", got, want)
	}

	// The store holds the policy, active: the delivery agent's user layer.
	infos, err := e.store.Scripts(context.Background(), testMailbox)
	if err != nil || len(infos) != 1 || !infos[0].Active || infos[0].Name != name {
		t.Fatalf("store listing %+v, %v", infos, err)
	}
	src, err := e.store.Sources(context.Background(), testMailbox)
	if err != nil || src.User == nil {
		t.Fatalf("sources %+v, %v", src, err)
	}
	policy := string(src.User.Text)
	for _, w := range []string{`copy to "secretariat@esantepdl.mssante.fr"`, `subject "Absence du Dr Martin"`, "2025-12-20", "2026-01-05"} {
		if !strings.Contains(policy, w) {
			t.Errorf("the user layer lacks %s:\n%s", w, policy)
		}
	}
	t.Logf("user layer:\n%s", policy)
	t.Logf("end-to-end run time: %v", time.Since(start).Round(time.Millisecond))
}
