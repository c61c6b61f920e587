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
}

func main() {
	os.Exit(run(&cliEnv{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}, os.Args[1:]))
}

func run(env *cliEnv, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.stderr, "tamis: unknown command %q; run \"tamis help\" for the list\n", args[0])
		return exitUsage
	}
	return cmd.run(env, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "tamis: Sieve-style mailbox policies for MSSanté.")
	fmt.Fprintln(w, "\nUsage: tamis COMMAND [flags] [arguments]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-9s %s\n", name, commands[name].summary)
	}
	fmt.Fprintln(w, "\nRun \"tamis COMMAND --help\" for the flags and examples of a command.")
}
