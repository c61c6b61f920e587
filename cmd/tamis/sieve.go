package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/parser"
	"github.com/tamis-mss/tamis/rules"
	"github.com/tamis-mss/tamis/sieve"
)

var sieveHelp = help{
	name:  "sieve",
	usage: "export|import [--trust FILE [--checksum HEX]] [--strict] [--repair] FILE",
	about: `
Sieve translates between tamis policies and Sieve scripts (RFC 5228, as
Roundcube and Mailiz write them, for Dovecot Pigeonhole).

"tamis sieve export FILE.rules" checks the policy as "tamis check" does and
writes its Sieve script on stdout. What Sieve cannot express exactly (named
predicates, weekly hours in a zone whose daylight saving time is not the EU
rule, "?" in matches keys…) is refused with a diagnostic at its position,
and nothing is written.

"tamis sieve import FILE.sieve" reads a Sieve script and writes the
equivalent policy (.rules) on stdout, with a comment at the top for every
construct approximated, rewritten or refused; the imported policy passes the
same trust check as any policy. Statements that cannot be translated
exactly are left out, with an error. The import keeps the script's exact
meaning, and warns [trap] where it was most likely not what its author
meant: a window bound written at a fixed UTC offset that daylight saving
time moves, a non-ASCII key that Sieve's ASCII-only case folding misses in
capitals, header :is "from" compared with a bare address. With --repair,
each trap is rewritten into what was meant, with a [repaired] note.

Diagnostics go to stderr. Exit status as "tamis check": 0 when no error was
found (warnings alone do not fail, unless --strict), 1 when there are
errors, 2 for bad usage or a file that cannot be read.`,
	examples: `
tamis sieve export cabinet.rules > cabinet.sieve
tamis sieve import roundcube.sieve > cabinet.rules
tamis sieve import --repair roundcube.sieve > cabinet.rules
tamis sieve import --trust listeblanchemssante.xml --checksum "$(cat checksum)" roundcube.sieve`,
}

func runSieve(env *cliEnv, args []string) int {
	fs := newFlags("sieve")
	var trust trustFlags
	trust.register(fs)
	strict := fs.Bool("strict", false, "fail (exit 1) on warnings too")
	repair := fs.Bool("repair", false, "import: rewrite the traps (fixed-offset windows, ASCII-only folding, whole-header From) into what was meant")
	positional, code, ok := parseArgs(env, fs, sieveHelp, args)
	if !ok {
		return code
	}
	if len(positional) != 2 || (positional[0] != "export" && positional[0] != "import") {
		env.p.Fprintln(env.stderr, `tamis sieve: name a direction and one file, e.g. "tamis sieve export cabinet.rules" or "tamis sieve import roundcube.sieve"`)
		return exitUsage
	}
	ts, err := trust.load(env, true)
	if err != nil {
		env.p.Fprintf(env.stderr, "tamis sieve: %s\n", err)
		return exitUsage
	}
	opts := engine.DefaultOptions()
	opts.Trust = ts
	path := positional[1]
	var diags rules.Diagnostics
	var src []byte
	if positional[0] == "export" {
		diags, src, code = sieveExport(env, path, opts)
	} else {
		diags, src, code = sieveImport(env, path, opts, sieve.ImportOptions{Repair: *repair})
	}
	if code != exitOK {
		return code
	}
	fmt.Fprint(env.stderr, env.p.RenderAll(diags, map[string][]byte{path: src}))
	if diags.HasErrors() || (*strict && len(diags) > 0) {
		return exitFound
	}
	return exitOK
}

// sieveExport checks the policy at path and writes its Sieve script.
func sieveExport(env *cliEnv, path string, opts engine.Options) (rules.Diagnostics, []byte, int) {
	c, err := checkPolicy(path, opts)
	if err != nil {
		env.p.Fprintf(env.stderr, "tamis sieve: %s\n", err)
		return nil, nil, exitUsage
	}
	if c.diagnostics.HasErrors() {
		env.p.Fprintf(env.stderr, "tamis sieve: %s not exported: fix the errors below first\n", path)
		return c.diagnostics, c.src, exitOK
	}
	script, diags := sieve.Export(c.policy)
	all := append(c.diagnostics, diags...)
	all.Sort()
	if script != nil {
		env.stdout.Write(script)
	}
	return all, c.src, exitOK
}

// sieveImport reads the script at path, checks the policy it becomes
// against the trust space and writes it as .rules.
func sieveImport(env *cliEnv, path string, opts engine.Options, iopts sieve.ImportOptions) (rules.Diagnostics, []byte, int) {
	src, err := os.ReadFile(path)
	if err != nil {
		env.p.Fprintf(env.stderr, "tamis sieve: %s\n", describeError(err))
		return nil, nil, exitUsage
	}
	p, diags := sieve.ImportWithOptions(path, src, iopts)
	_, cdiags := engine.Compile(context.Background(), p, opts)
	var all rules.Diagnostics
	for _, d := range append(diags, cdiags...) {
		if d.Code != rules.CodeUnverifiedTrust {
			all = append(all, d)
		}
	}
	diags = all
	diags.Sort()
	var b strings.Builder
	if len(diags) > 0 {
		fmt.Fprintf(&b, "# Imported from %s by tamis sieve import, with these notes:\n", path)
		for _, d := range diags {
			fmt.Fprintf(&b, "#   line %d: %s: %s [%s]\n", d.Range.Start.Line, d.Severity, oneLine(d.Message), d.Code)
		}
		b.WriteString("\n")
	}
	b.Write(parser.Format(p))
	fmt.Fprint(env.stdout, b.String())
	return diags, src, exitOK
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
