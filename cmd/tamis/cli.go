package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// help is the documentation of one command, printed by "--help".
type help struct {
	name     string // command name, e.g. "check"
	usage    string // arguments after the name, e.g. "[flags] PATH…"
	about    string // what the command does, a few lines
	examples string // shell lines, one per example
}

// newFlags returns a flag set that reports nothing itself: parseArgs turns
// its errors into one line.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseArgs parses flags anywhere among the arguments ("tamis check a.rules
// --format json" works as well as flags first) and returns the positional
// arguments. When it returns ok == false the command must return code: 0
// after --help, exitUsage after a bad flag (already reported in one line).
func parseArgs(env *cliEnv, fs *flag.FlagSet, h help, args []string) (positional []string, code int, ok bool) {
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			printHelp(env, fs, h)
			return nil, exitOK, false
		}
		if err != nil {
			env.p.Fprintf(env.stderr, "tamis %s: %s; run \"tamis %s --help\"\n", h.name, env.p.Text(flagError(err)), h.name)
			return nil, exitUsage, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, exitOK, true
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			// Everything after "--" is positional.
			return append(positional, rest...), exitOK, true
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// flagError rewords the flag package's messages slightly so that they read
// as one line with the flag written as the user wrote it.
func flagError(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return "unknown flag " + name
	}
	return msg
}

// printHelp writes a command's documentation: usage, description, flags
// and examples.
func printHelp(env *cliEnv, fs *flag.FlagSet, h help) {
	w := env.stdout
	env.p.Fprintf(w, "Usage: tamis %s %s\n\n%s\n", h.name, env.p.Text(h.usage), env.p.Text(strings.TrimSpace(h.about)))
	var flags bytes.Buffer
	printFlags(env, &flags, fs)
	if flags.Len() > 0 {
		env.p.Fprintf(w, "\nFlags:\n%s", flags.String())
	}
	if h.examples != "" {
		env.p.Fprintln(w, "\nExamples:")
		for _, line := range strings.Split(strings.TrimSpace(h.examples), "\n") {
			// The comment of an example is prose; the command is not.
			if cmd, comment, ok := strings.Cut(line, "# "); ok {
				line = cmd + "# " + env.p.Text(comment)
			}
			fmt.Fprintf(w, "  %s\n", strings.TrimSpace(line))
		}
	}
}

// printFlags writes the flags of fs as flag.PrintDefaults does, in the
// printer's language: the usage, its `NAME` placeholder and the words of
// the default value.
func printFlags(env *cliEnv, w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		var b strings.Builder
		fmt.Fprintf(&b, "  -%s", f.Name)
		name, usage := flag.UnquoteUsage(&flag.Flag{Name: f.Name, Usage: env.p.Text(f.Usage), Value: f.Value, DefValue: f.DefValue})
		if name != "" {
			b.WriteString(" " + name)
		}
		if b.Len() <= 4 {
			b.WriteString("\t") // a one-letter switch: the usage on its line
		} else {
			b.WriteString("\n    \t")
		}
		b.WriteString(strings.ReplaceAll(usage, "\n", "\n    \t"))
		if !isZeroFlag(f) {
			if g, ok := f.Value.(flag.Getter); ok {
				if _, ok := g.Get().(string); ok {
					b.WriteString(env.p.Sprintf(" (default %q)", f.DefValue))
				} else {
					b.WriteString(env.p.Sprintf(" (default %v)", f.DefValue))
				}
			}
		}
		fmt.Fprintln(w, b.String())
	})
}

// isZeroFlag reports whether f's default is the zero value of its type, which
// the help does not show.
func isZeroFlag(f *flag.Flag) bool {
	switch f.DefValue {
	case "", "0", "false", "[]":
		return true
	}
	return false
}

// oneOf validates an enumerated flag value.
func oneOf(env *cliEnv, cmd, flagName, value string, allowed ...string) bool {
	for _, a := range allowed {
		if value == a {
			return true
		}
	}
	env.p.Fprintf(env.stderr, "tamis %s: --%s must be one of %s, not %q\n", cmd, flagName, strings.Join(allowed, ", "), value)
	return false
}

// describeError shortens an I/O error for a one-line message: the
// *PathError's own wording, without the Go operation name.
func describeError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, os.ErrNotExist):
			return pe.Path + ": no such file or directory"
		case errors.Is(pe.Err, os.ErrPermission):
			return pe.Path + ": permission denied"
		}
		return pe.Path + ": " + pe.Err.Error()
	}
	return err.Error()
}

// isTerminal reports whether f is a character device (a terminal), the
// condition for drawing a progress line.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
