package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/tamis-mss/tamis/parser"
	"github.com/tamis-mss/tamis/rules"
)

var fmtHelp = help{
	name:  "fmt",
	usage: "[-l | -w | -d] [PATH…]",
	about: `
Fmt prints policy files in the canonical layout, like gofmt: one element per
line, four-space indentation, comments kept. Directories are walked for .rules
files; without a path it formats standard input to standard output.

A file with syntax errors is not formatted: its diagnostics are printed and
the exit status is 1. Otherwise the exit status is 0, also with -l (which
lists files, like gofmt -l); 2 means bad usage or an unreadable file.`,
	examples: `
tamis fmt cabinet.rules          # print the formatted policy
tamis fmt -l examples            # list the files that are not formatted
tamis fmt -d cabinet.rules       # show what formatting would change
tamis fmt -w examples            # rewrite the files in place`,
}

func runFmt(env *cliEnv, args []string) int {
	fs := newFlags("fmt")
	list := fs.Bool("l", false, "list the files whose formatting differs from the canonical one")
	write := fs.Bool("w", false, "write the result back to the files instead of printing it")
	diff := fs.Bool("d", false, "print a diff of the changes instead of the formatted files")
	paths, code, ok := parseArgs(env, fs, fmtHelp, args)
	if !ok {
		return code
	}
	if n := btoi(*list) + btoi(*write) + btoi(*diff); n > 1 && !(*list && n == 2) {
		env.p.Fprintln(env.stderr, "tamis fmt: -w and -d cannot be combined; -l may be added to either")
		return exitUsage
	}
	if len(paths) == 0 {
		if *write {
			env.p.Fprintln(env.stderr, "tamis fmt: -w needs files to write; name .rules files or directories")
			return exitUsage
		}
		src, err := io.ReadAll(env.stdin)
		if err != nil {
			env.p.Fprintf(env.stderr, "tamis fmt: read standard input: %v\n", err)
			return exitUsage
		}
		return formatOne(env, "<stdin>", src, *list, false, *diff)
	}
	files, err := collectPolicies(paths)
	if err != nil {
		env.p.Fprintf(env.stderr, "tamis fmt: %s\n", err)
		return exitUsage
	}
	status := exitOK
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			env.p.Fprintf(env.stderr, "tamis fmt: %s\n", describeError(err))
			status = exitUsage
			continue
		}
		if c := formatOne(env, f, src, *list, *write, *diff); c > status {
			status = c
		}
	}
	return status
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// formatOne formats one policy and does with it what the flags ask.
func formatOne(env *cliEnv, name string, src []byte, list, write, diff bool) int {
	out, diags := formatPolicy(name, src)
	if diags.HasErrors() {
		fmt.Fprint(env.stderr, env.p.RenderAll(diags, map[string][]byte{name: src}))
		env.p.Fprintf(env.stderr, "tamis fmt: %s not formatted: fix the errors above first\n", name)
		return exitFound
	}
	changed := !bytes.Equal(src, out)
	if list && changed {
		fmt.Fprintln(env.stdout, name)
	}
	if write && changed {
		if err := writeFileAtomic(name, out); err != nil {
			env.p.Fprintf(env.stderr, "tamis fmt: %s\n", describeError(err))
			return exitUsage
		}
	}
	if diff && changed {
		fmt.Fprint(env.stdout, unifiedDiff(name, src, out))
	}
	if !list && !write && !diff {
		env.stdout.Write(out)
	}
	return exitOK
}

// formatPolicy parses src and returns its canonical text. It refuses (with
// a diagnostic) a result that would not read back as the same policy, so
// that -w can never change what a policy does.
func formatPolicy(name string, src []byte) ([]byte, rules.Diagnostics) {
	p, diags := parser.Parse(name, src, parser.DefaultOptions())
	if diags.HasErrors() {
		return nil, diags
	}
	out := parser.Format(p)
	q, qdiags := parser.Parse(name, out, parser.DefaultOptions())
	if qdiags.HasErrors() || rules.DumpWithoutPositions(q) != rules.DumpWithoutPositions(p) {
		return nil, rules.Diagnostics{{
			Severity: rules.Error,
			Code:     rules.CodeSyntax,
			Message:  "the formatter would change the meaning of this policy; the file is left as it is",
			Range:    rules.Range{File: name},
			Hint:     "please report this as a tamis bug, with the file",
		}}
	}
	return out, nil
}

// writeFileAtomic replaces path with data through a temporary file in the
// same directory, keeping the file's permissions.
func writeFileAtomic(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tamis-fmt-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
