package testenv

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestTrustListsAreThePublishedOnes(t *testing.T) {
	for path, want := range map[string]string{
		TrustList(t):        TrustListSHA256,
		TrustListPartial(t): TrustListPartialSHA256,
	} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); got != want {
			t.Errorf("%s: sha256 %s, want %s", path, got, want)
		}
	}
}

func TestInCI(t *testing.T) {
	for v, want := range map[string]bool{"": false, "0": false, "false": false, "FALSE": false, "true": true, "1": true, "yes": true} {
		t.Setenv("CI", v)
		if got := InCI(); got != want {
			t.Errorf("CI=%q: InCI() = %v, want %v", v, got, want)
		}
	}
}

// TestMissing runs Missing and Command in a copy of this test binary: they
// skip the test with the install hint outside CI, and fail it in CI.
func TestMissing(t *testing.T) {
	if os.Getenv("TAMIS_TESTENV_CHILD") != "" {
		Command(t, "tamis-no-such-program", "apt-get install tamis-no-such-program")
		t.Fatal("Command returned for a missing program")
	}
	for ci, want := range map[string]struct {
		fails bool
		out   string
	}{
		"":     {out: "--- SKIP: TestMissing"},
		"true": {fails: true, out: "[CI is set: this test must run]"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMissing$", "-test.v")
		cmd.Env = append(os.Environ(), "TAMIS_TESTENV_CHILD=1", "CI="+ci)
		out, err := cmd.CombinedOutput()
		if (err != nil) != want.fails {
			t.Fatalf("CI=%q: exit %v, want failure %v:\n%s", ci, err, want.fails, out)
		}
		for _, s := range []string{want.out, "tamis-no-such-program is not available", "install it with: apt-get install tamis-no-such-program"} {
			if !strings.Contains(string(out), s) {
				t.Errorf("CI=%q: output lacks %q:\n%s", ci, s, out)
			}
		}
	}
}
