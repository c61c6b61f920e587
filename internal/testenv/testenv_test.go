package testenv

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
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
