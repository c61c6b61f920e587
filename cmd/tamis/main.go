// Command tamis checks, runs, tests and formats MSSanté mailbox policies.
//
// Run "tamis help" for the list of commands and "tamis COMMAND --help" for
// the flags and examples of one command.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/tamis-mss/tamis/internal/locale"
)

// Exit codes shared by every command.
const (
	exitOK    = 0 // success, nothing to report
	exitFound = 1 // diagnostics, failing tests, refused addresses
	exitUsage = 2 // bad usage or an I/O problem
)

// command is one sub-command of tamis. Run receives the arguments after the
// command name and returns the process exit code.
type command struct {
	summary string
	run     func(env *cliEnv, args []string) int
}

// cliEnv carries the process's streams so that commands can be tested
// without touching the real ones.
type cliEnv struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// p prints messages in the user's language (--lang, LC_ALL,
	// LC_MESSAGES, LANG); nil prints them in English.
	p *locale.Printer
	// langGiven is true when --lang chose the language, which then wins
	// over the language an editor asks of tamis lsp.
	langGiven bool
	// noted holds the notes already said in this run, so that each is said
	// once.
	noted map[string]bool
}

// note writes a note on standard error once per run.
func (env *cliEnv) note(msg string) {
	if env.noted[msg] {
		return
	}
	if env.noted == nil {
		env.noted = map[string]bool{}
	}
	env.noted[msg] = true
	env.p.Fprintln(env.stderr, msg)
}

// commands lists every sub-command. New commands are added here, in one
// place, so that a missing one fails to compile rather than at run time.
var commands = map[string]command{
	"check": {summary: "report the problems of policy files", run: runCheck},
	"fmt":   {summary: "format policy files canonically", run: runFmt},
	"run":   {summary: "evaluate a policy on messages and say what happens and why", run: runRun},
	"test":  {summary: "run golden cases: policies, messages and expected outcomes", run: runTest},

	"address": {summary: "say whether mail may go to addresses within MSSanté, and why not", run: runAddress},
	"sieve":   {summary: "translate a policy to a Sieve script (export) or a Sieve script to a policy (import)", run: runSieve},
	"lsp":     {summary: "run the language server for editors, on standard input and output", run: runLSP},
	"serve":   {summary: "run the delivery agent: LMTP in, Maildir, SMTP relay (and ManageSieve)", run: runServe},

	"completion":  {summary: "print the shell completion script for bash, zsh or fish", run: runCompletion},
	"push-layers": {summary: "publish operator layers to the policy store of tamis serve (directory or Redis)", run: runPushLayers},
}

func main() {
	os.Exit(run(&cliEnv{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}, os.Args[1:]))
}

func run(env *cliEnv, args []string) int {
	if len(args) > 0 && args[0] == "__complete" {
		// The words typed so far, --lang included, are the input.
		return complete(env, args[1:])
	}
	args, lang, ok := takeLang(args)
	tag, supported := locale.Detect(lang, os.Getenv)
	if env.p == nil || lang != "" {
		env.p = locale.New(tag)
	}
	env.langGiven = lang != ""
	if !ok || !supported {
		env.p.Fprintf(env.stderr, "tamis: --lang must be one of %s, not %q\n", "en, fr", lang)
		return exitUsage
	}
	if len(args) == 0 {
		usage(env)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "--help":
		if len(args) > 1 {
			return helpCommand(env, args[1])
		}
		usage(env)
		return exitOK
	case "version", "--version", "-version":
		fmt.Fprintln(env.stdout, versionLine())
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		env.p.Fprintf(env.stderr, "tamis: unknown command %q; run \"tamis help\" for the list\n", args[0])
		return exitUsage
	}
	return cmd.run(env, args[1:])
}

// helpCommand prints the help of one command, as "tamis CMD --help" does.
func helpCommand(env *cliEnv, name string) int {
	switch name {
	case "version", "help":
		usage(env)
		return exitOK
	}
	cmd, ok := commands[name]
	if !ok {
		env.p.Fprintf(env.stderr, "tamis: unknown command %q; run \"tamis help\" for the list\n", name)
		return exitUsage
	}
	return cmd.run(env, []string{"--help"})
}

// takeLang removes the --lang flag from anywhere before "--" in args and
// returns its value; every command accepts it. ok is false when --lang
// has no value.
func takeLang(args []string) (rest []string, lang string, ok bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(rest, args[i:]...), lang, true
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "lang" {
			rest = append(rest, a)
			continue
		}
		if !hasValue {
			if i+1 == len(args) {
				return rest, "", false
			}
			i++
			value = args[i]
		}
		lang = value
	}
	return rest, lang, true
}

func usage(env *cliEnv) {
	w := env.stdout
	env.p.Fprintln(w, "tamis: Sieve-style mailbox policies for MSSanté.")
	env.p.Fprintln(w, "\nUsage: tamis COMMAND [flags] [arguments]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-11s %s\n", name, env.p.Text(commands[name].summary))
	}
	fmt.Fprintf(w, "  %-11s %s\n", "help", env.p.Text("print this list, or the help of a command: tamis help COMMAND"))
	fmt.Fprintf(w, "  %-11s %s\n", "version", env.p.Text("print the version of tamis (also --version)"))
	env.p.Fprintln(w, "\nRun \"tamis help COMMAND\" or \"tamis COMMAND --help\" for the flags and examples of a command.")
	env.p.Fprintln(w, "Every command takes --lang en|fr; by default the language follows LC_ALL, LC_MESSAGES or LANG.")
}
