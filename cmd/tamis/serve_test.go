package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestServeUsage(t *testing.T) {
	code, out, _ := cli(t, "", "serve", "--help")
	require.Equal(t, exitOK, code)
	require.Contains(t, out, "Usage: tamis serve --config FILE")

	code, _, errOut := cli(t, "", "serve")
	require.Equal(t, exitUsage, code)
	requireOneLine(t, errOut, "--config FILE is required")

	code, _, errOut = cli(t, "", "serve", "--config", "serve.toml", "extra")
	require.Equal(t, exitUsage, code)
	requireOneLine(t, errOut, `unexpected argument "extra"`)
}

func TestServeBadConfig(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "serve.toml")
	require.NoError(t, os.WriteFile(bad, []byte("[lmtp]\nlisten = \"127.0.0.1:0\"\nmax_size = 1\n"), 0o600))
	code, _, errOut := cli(t, "", "serve", "--config", bad)
	require.Equal(t, exitUsage, code)
	requireOneLine(t, errOut, bad+`:3:1: unknown key "lmtp.max_size"`)

	code, _, errOut = cli(t, "", "serve", "--config", filepath.Join(dir, "absent.toml"))
	require.Equal(t, exitUsage, code)
	requireOneLine(t, errOut, "no such file or directory")

	// A flag overrides the file, and is checked like it.
	good := filepath.Join(dir, "good.toml")
	require.NoError(t, os.WriteFile(good, []byte("[lmtp]\nlisten = \"127.0.0.1:0\"\n"), 0o600))
	code, _, errOut = cli(t, "", "serve", "--config", good, "--log-level", "loud")
	require.Equal(t, exitUsage, code)
	requireOneLine(t, errOut, `[log] level "loud"`)

	// A trust list that does not match its checksum stops the start.
	trust := filepath.Join(dir, "trust.toml")
	require.NoError(t, os.WriteFile(trust, []byte("[trust]\nlist = \"../../testdata/listeblanche/listeblanchemssante-2025-03-13.xml\"\nchecksum = \""+
		"0000000000000000000000000000000000000000000000000000000000000000\"\n"), 0o600))
	code, _, errOut = cli(t, "", "serve", "--config", trust)
	require.Equal(t, exitUsage, code)
	requireOneLine(t, errOut, "[trust] load")
}
