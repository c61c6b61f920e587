package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/internal/testenv"
)

func TestCheckAccounts(t *testing.T) {
	list := testenv.TrustList(t)
	code, out, _ := cli(t, "", "check", "--trust", list, "--accounts", "../../accounts/testdata/cabinet-ok.users")
	require.Equal(t, exitOK, code, out)

	code, out, _ = cli(t, "", "check", "--trust", list, "--format", "github", "--accounts", "../../accounts/testdata/cabinet-errors.users")
	require.Equal(t, exitFound, code)
	for _, want := range []string{
		"file=../../accounts/testdata/cabinet-errors.users,line=2,col=90",  // no principal co-holder
		"file=../../accounts/testdata/cabinet-errors.users,line=2,col=145", // delegate and co-holder
		"file=../../accounts/testdata/cabinet-errors.users,line=4,col=74",  // mailbox outside the trust space
	} {
		require.Contains(t, out, want)
	}
	require.Equal(t, 9, strings.Count(out, "::error "), out)
}
