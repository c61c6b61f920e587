package accounts_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/tamis-mss/tamis/accounts"
)

func writeUsers(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "users")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFile(t *testing.T) {
	hash, _ := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	f, err := accounts.OpenFile(writeUsers(t, "# comment\n\ndr.martin:"+string(hash)+":Dr.Martin@medecin.mssante.fr\n"+
		"secretariat:"+string(hash)+":cabinet@esantepdl.mssante.fr=delegate,dr.martin@medecin.mssante.fr=co-holder\n"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	acc, err := f.Authenticate(ctx, "dr.martin", "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	if g, ok := acc.Mailbox(""); !ok || g.Mailbox != "dr.martin@medecin.mssante.fr" || g.Role != accounts.RoleHolder {
		t.Errorf("default grant %+v", g)
	}
	for _, bad := range [][2]string{{"dr.martin", "wrong"}, {"nobody", "s3cret"}, {"", ""}} {
		if _, err := f.Authenticate(ctx, bad[0], bad[1]); !errors.Is(err, accounts.ErrBadCredentials) {
			t.Errorf("Authenticate(%q, %q): %v", bad[0], bad[1], err)
		}
	}
	acc, err = f.Authenticate(ctx, "secretariat", "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	if g, ok := acc.Mailbox("DR.MARTIN@medecin.mssante.fr"); !ok || g.Role != accounts.RoleCoHolder {
		t.Errorf("grant %+v %v", g, ok)
	}
	if _, ok := acc.Mailbox("autre@medecin.mssante.fr"); ok {
		t.Error("a mailbox not granted")
	}
}

func TestFileErrors(t *testing.T) {
	hash, _ := bcrypt.GenerateFromPassword([]byte("x"), bcrypt.MinCost)
	for content, want := range map[string]string{
		"a:b\n":                                ":1: want login:bcrypt-hash",
		"a:notahash:x@y.fr\n":                  "not a bcrypt hash",
		"a:" + string(hash) + ":nomailbox\n":   "is not an address",
		"a:" + string(hash) + ":x@y.fr=boss\n": "unknown role",
		"a:" + string(hash) + ":x@y.fr\na:" + string(hash) + ":x@y.fr\n": ":2: login \"a\" appears twice",
	} {
		_, err := accounts.OpenFile(writeUsers(t, content))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", content, err, want)
		}
	}
}

func TestThrottle(t *testing.T) {
	now := time.Unix(0, 0)
	th := accounts.NewThrottle()
	th.Now = func() time.Time { return now }
	if d := th.Delay("1.2.3.4", "a"); d != 0 {
		t.Errorf("first attempt delayed %v", d)
	}
	th.Failed("1.2.3.4", "a")
	th.Failed("1.2.3.4", "a")
	if d := th.Delay("5.6.7.8", "a"); d != 2*time.Second {
		t.Errorf("per login: %v, want 2s", d)
	}
	if d := th.Delay("1.2.3.4", "b"); d != 2*time.Second {
		t.Errorf("per client: %v, want 2s", d)
	}
	for range 10 {
		th.Failed("1.2.3.4", "a")
	}
	if d := th.Delay("1.2.3.4", "a"); d != th.Max {
		t.Errorf("capped: %v", d)
	}
	now = now.Add(th.Forget + time.Second)
	if d := th.Delay("1.2.3.4", "a"); d != 0 {
		t.Errorf("forgotten: %v", d)
	}
	th.Failed("1.2.3.4", "a")
	th.Succeeded("1.2.3.4", "a")
	if d := th.Delay("1.2.3.4", "a"); d != 0 {
		t.Errorf("after success: %v", d)
	}
}
