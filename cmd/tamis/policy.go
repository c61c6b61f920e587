package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/mssante"
	"github.com/tamis-mss/tamis/parser"
	"github.com/tamis-mss/tamis/rules"
)

// policyExt is the extension of policy files looked for in directories.
const policyExt = ".rules"

// trustFlags are the --trust and --checksum flags shared by check, run and
// test.
type trustFlags struct {
	file, checksum string
}

func (t *trustFlags) register(fs interface {
	StringVar(p *string, name, value, usage string)
}) {
	fs.StringVar(&t.file, "trust", "", "the MSSanté trust list `FILE` (listeblanchemssante.xml); default: the built-in unverified fallback")
	fs.StringVar(&t.checksum, "checksum", "", "the list's SHA-256 as `HEX` (the published checksum file's content); with --trust")
}

// load returns the trust space. Without --trust it is the built-in
// fallback, and a note says so once on w.
func (t *trustFlags) load(env *cliEnv, announce bool) (*mssante.TrustSpace, error) {
	if t.file == "" {
		if t.checksum != "" {
			return nil, errors.New("--checksum needs --trust FILE")
		}
		if announce {
			env.note(fallbackNote)
		}
		return mssante.NewTrustSpace(nil), nil
	}
	l, err := mssante.LoadList(t.file, t.checksum)
	if err != nil {
		return nil, fmt.Errorf("load trust list: %s", describeError(err))
	}
	return mssante.NewTrustSpace(l), nil
}

// fallbackNote is printed once when no trust list is given.
const fallbackNote = "tamis: note: no --trust list given; targets are checked against the built-in fallback " +
	"(any *.mssante.fr domain and the two Apicrypt domains), which is unverified"

// collectPolicies expands paths into .rules files: a file is taken as
// given, a directory is walked for *.rules files (hidden directories
// skipped). A missing path or a directory without any policy is an error.
func collectPolicies(paths []string) ([]string, error) {
	return collectFiles(paths, policyExt, nil, func(dir string) error {
		return fmt.Errorf("%s: no %s policy files in this directory", dir, policyExt)
	})
}

// collectFiles expands paths into files ending in ext: a file is checked by
// checkFile (nil: taken as given), a directory is walked for files ending in
// ext, hidden directories skipped, sorted per directory; a directory without
// any is the error empty returns. A missing path is an error.
func collectFiles(paths []string, ext string, checkFile func(path string) error, empty func(dir string) error) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, errors.New(describeError(err))
		}
		if !st.IsDir() {
			if checkFile != nil {
				if err := checkFile(p); err != nil {
					return nil, err
				}
			}
			out = append(out, p)
			continue
		}
		n := len(out)
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && path != p && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(d.Name(), ext) {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, errors.New(describeError(err))
		}
		if len(out) == n {
			return nil, empty(p)
		}
		slices.Sort(out[n:])
	}
	return out, nil
}

// checked is one policy file read, parsed and compiled.
type checked struct {
	path        string
	src         []byte
	policy      *rules.Policy
	program     *engine.Program // nil when the policy has errors
	diagnostics rules.Diagnostics
}

// checkPolicy parses and compiles the policy at path and returns all its
// diagnostics, sorted, without the "unverified-trust" warning (the
// commands say that once, not once per file). err is for I/O only.
func checkPolicy(path string, opts engine.Options) (*checked, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s: is a directory, not a policy file", path)
	}
	p, src, diags, err := parser.ParseFile(path, parser.DefaultOptions())
	if err != nil {
		return nil, errors.New(describeError(err))
	}
	c := &checked{path: path, src: src, policy: p}
	// Compile even a policy with syntax errors: it reports the trust
	// problems of what could be read, so one run shows everything.
	prog, cdiags := engine.Compile(context.Background(), p, opts)
	for _, d := range append(diags, cdiags...) {
		if d.Code != rules.CodeUnverifiedTrust {
			c.diagnostics = append(c.diagnostics, d)
		}
	}
	c.diagnostics.Sort()
	if !c.diagnostics.HasErrors() {
		c.program = prog
	}
	return c, nil
}
