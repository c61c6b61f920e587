package main

import (
	"os"
	"testing"
)

// TestMain runs the tests in English whatever the machine's locale: the
// expected outputs are English unless a test passes --lang.
func TestMain(m *testing.M) {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		os.Unsetenv(v)
	}
	os.Exit(m.Run())
}
