package managesieve_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tamis-mss/tamis/internal/testenv"
	"github.com/tamis-mss/tamis/store"
)

// The BAL cabinet of the tests, with its principal co-holder, a co-holder
// and a delegate (see usersFile).
const (
	cabinetMailbox = "cabinet-des-lilas.93260@esantepdl.mssante.fr"
	principalLogin = "a.martin@medecin.mssante.fr"
	coHolderLogin  = "b.durand@medecin.mssante.fr"
	delegateLogin  = "c.secretaire@esantepdl.mssante.fr"
)

const delegateRefusal = "A delegate may read this mailbox's policy but not change it: ask a co-holder / Un délégataire peut lire la politique de cette boîte mais pas la modifier : demandez à un cotitulaire"

// TestCabinetRoles drives the protocol: co-holders change the cabinet's
// policy, the delegate reads it and gets NO, with the reason in English and
// French, for every command that changes it; the audit log names the
// author of each change and of each refusal.
func TestCabinetRoles(t *testing.T) {
	e := startServer(t, nil)

	p := dial(t, e.addr)
	want(t, "principal login", p.login(principalLogin, testPassword), "OK")
	want(t, "principal put", p.send(`PUTSCRIPT "cabinet" `+literal("keep;\r\n")+"\r\n"), "OK")
	want(t, "principal activate", p.send(`SETACTIVE "cabinet"`+"\r\n"), "OK")

	c := dial(t, e.addr)
	want(t, "co-holder login", c.login(coHolderLogin, testPassword), "OK")
	want(t, "co-holder put", c.send(`PUTSCRIPT "cabinet" `+literal(trustedScript)+"\r\n"), "OK")
	want(t, "co-holder put other", c.send(`PUTSCRIPT "brouillon" `+literal("keep;\r\n")+"\r\n"), "OK")

	d := dial(t, e.addr)
	want(t, "delegate login", d.login(delegateLogin, testPassword), "OK")
	if got := d.send("LISTSCRIPTS\r\n"); !strings.Contains(got, `"cabinet" ACTIVE`) || !strings.HasPrefix(lastLine(got), "OK") {
		t.Errorf("delegate LISTSCRIPTS: %q", got)
	}
	if got := d.send(`GETSCRIPT "cabinet"` + "\r\n"); !strings.Contains(got, "secretariat@esantepdl.mssante.fr") || !strings.HasPrefix(lastLine(got), "OK") {
		t.Errorf("delegate GETSCRIPT: %q", got)
	}
	for what, cmd := range map[string]string{
		"PUTSCRIPT":    `PUTSCRIPT "cabinet" ` + literal("discard;\r\n") + "\r\n",
		"SETACTIVE":    `SETACTIVE ""` + "\r\n",
		"DELETESCRIPT": `DELETESCRIPT "brouillon"` + "\r\n",
		"RENAMESCRIPT": `RENAMESCRIPT "brouillon" "x"` + "\r\n",
	} {
		got := d.send(cmd)
		if !strings.HasPrefix(got, "NO") || !strings.Contains(got, delegateRefusal) {
			t.Errorf("delegate %s: %q, want NO with %q", what, got, delegateRefusal)
		}
	}

	infos, err := e.store.Scripts(context.Background(), cabinetMailbox)
	if err != nil || len(infos) != 2 {
		t.Fatalf("cabinet scripts %+v, %v", infos, err)
	}
	sc, err := e.store.Script(context.Background(), cabinetMailbox, infos[indexActive(infos)].Name)
	if err != nil || string(sc.Sieve) != trustedScript {
		t.Errorf("the delegate changed the active script: %q, %v", sc.Sieve, err)
	}
	if sc.Author != coHolderLogin {
		t.Errorf("stored script author %q, want %q", sc.Author, coHolderLogin)
	}

	for _, w := range []map[string]string{
		{"msg": "putscript", "author": principalLogin, "role": "principal", "mailbox": cabinetMailbox, "answer": "OK"},
		{"msg": "setactive", "author": principalLogin, "role": "principal", "mailbox": cabinetMailbox, "answer": "OK"},
		{"msg": "putscript", "author": coHolderLogin, "role": "co-holder", "mailbox": cabinetMailbox, "answer": "OK"},
		{"msg": "refused", "event": "putscript", "author": delegateLogin, "role": "delegate", "answer": "NO", "reason": "role"},
		{"msg": "refused", "event": "setactive", "author": delegateLogin, "answer": "NO"},
		{"msg": "refused", "event": "deletescript", "script": "brouillon", "author": delegateLogin, "answer": "NO"},
		{"msg": "refused", "event": "renamescript", "script": "brouillon", "author": delegateLogin, "answer": "NO"},
	} {
		if !auditHas(e.audit.String(), w) {
			t.Errorf("audit log lacks a line with %v\n%s", w, e.audit.String())
		}
	}
}

// auditHas reports whether a JSON line of the audit log has every field
// of want.
func auditHas(log string, want map[string]string) bool {
	for _, line := range strings.Split(log, "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) != nil {
			continue
		}
		ok := true
		for k, v := range want {
			if rec[k] != v {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func indexActive(infos []store.ScriptInfo) int {
	for i, in := range infos {
		if in.Active {
			return i
		}
	}
	return 0
}

const sievelibRolesScript = `
import sys
from sievelib.managesieve import Client
host, port, user, pw, d = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
read = lambda n: open(d + "/" + n, encoding="utf-8", newline="").read()
c = Client(host, port)
print("connect", c.connect(user, pw, starttls=True, authmech="PLAIN"))
print("list", c.listscripts())
print("get", c.getscript("cabinet") is not None)
for name, call in [("put", lambda: c.putscript("cabinet", read("other.sieve"))),
                   ("activate", lambda: c.setactive("")),
                   ("delete", lambda: c.deletescript("cabinet")),
                   ("rename", lambda: c.renamescript("cabinet", "x"))]:
    ok = call()
    err = c.errmsg.decode() if isinstance(c.errmsg, bytes) else c.errmsg
    print(name, ok, err)
c.logout()
`

// TestSievelibCabinetRoles is the same check through Python's sievelib:
// a co-holder uploads and activates the cabinet's script, the delegate
// lists and reads it and sees each change refused with the reason.
func TestSievelibCabinetRoles(t *testing.T) {
	py := testenv.Command(t, "/usr/bin/python3", "apt-get install python3")
	if err := exec.Command(py, "-c", "import sievelib.managesieve").Run(); err != nil {
		testenv.Missing(t, "python3-sievelib", "apt-get install python3-sievelib", err)
	}
	e := startServer(t, tlsOnly)
	d := clientFixture(t)
	scriptFile := filepath.Join(d, "roles.py")
	if err := os.WriteFile(scriptFile, []byte(sievelibRolesScript), 0o644); err != nil {
		t.Fatal(err)
	}
	coHolder := filepath.Join(d, "coholder.py")
	if err := os.WriteFile(coHolder, []byte(`
import sys
from sievelib.managesieve import Client
host, port, user, pw, d = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
c = Client(host, port)
print("connect", c.connect(user, pw, starttls=True, authmech="PLAIN"))
print("put", c.putscript("cabinet", open(d + "/trusted.sieve", encoding="utf-8", newline="").read()))
print("activate", c.setactive("cabinet"))
c.logout()
`), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, py, coHolder, "127.0.0.1", port(e.addr), coHolderLogin, testPassword, d).CombinedOutput()
	t.Logf("co-holder (sievelib):\n%s", out)
	if err != nil || !strings.Contains(string(out), "put True") || !strings.Contains(string(out), "activate True") {
		t.Fatalf("the co-holder could not change the policy: %v", err)
	}
	out, err = exec.CommandContext(ctx, py, scriptFile, "127.0.0.1", port(e.addr), delegateLogin, testPassword, d).CombinedOutput()
	t.Logf("delegate (sievelib):\n%s", out)
	if err != nil {
		t.Fatalf("sievelib: %v", err)
	}
	for _, w := range []string{
		"connect True", "list ('cabinet', [])", "get True",
		"put False " + delegateRefusal, "activate False " + delegateRefusal,
		"delete False " + delegateRefusal, "rename False " + delegateRefusal,
	} {
		if !strings.Contains(string(out), w) {
			t.Errorf("sievelib output lacks %q", w)
		}
	}
	sc, err := e.store.Sources(context.Background(), cabinetMailbox)
	if err != nil || sc.User == nil || !strings.Contains(string(sc.User.Text), "secretariat@esantepdl.mssante.fr") {
		t.Errorf("the co-holder's policy is not the cabinet's active one: %+v, %v", sc.User, err)
	}
}
