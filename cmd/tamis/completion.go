package main

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

var completionHelp = help{
	name:  "completion",
	usage: "bash|zsh|fish",
	about: `
Completion prints the shell completion script for bash, zsh or fish. The
script asks "tamis __complete" for the candidates, so that it completes the
commands, flags and flag values of the tamis it runs, and file names
elsewhere.

Load it for the current shell, or install it where the shell looks:
  bash   source <(tamis completion bash)
         tamis completion bash > ~/.local/share/bash-completion/completions/tamis
  zsh    source <(tamis completion zsh)
  fish   tamis completion fish > ~/.config/fish/completions/tamis.fish`,
	examples: `
tamis completion bash > ~/.local/share/bash-completion/completions/tamis`,
}

func runCompletion(env *cliEnv, args []string) int {
	fs := newFlags("completion")
	rest, code, ok := parseArgs(env, fs, completionHelp, args)
	if !ok {
		return code
	}
	script, found := completionScripts[strings.Join(rest, " ")]
	if !found {
		env.p.Fprintln(env.stderr, `tamis completion: name one shell: bash, zsh or fish`)
		return exitUsage
	}
	fmt.Fprint(env.stdout, script)
	return exitOK
}

// completionScripts call "tamis __complete WORD…" with the words typed
// after "tamis", the one being completed last; an empty answer means file
// names.
var completionScripts = map[string]string{
	"bash": `# bash completion for tamis (tamis completion bash)
_tamis() {
    local IFS=$'\n'
    local cur="${COMP_WORDS[COMP_CWORD]}"
    COMPREPLY=($(compgen -W "$(tamis __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)" -- "$cur"))
}
complete -o default -F _tamis tamis
`,
	"zsh": `#compdef tamis
# zsh completion for tamis (tamis completion zsh)
_tamis() {
    local -a out
    out=("${(@f)$(tamis __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
    if [[ -n "${out[1]}" ]]; then
        compadd -- "${out[@]}"
    else
        _files
    fi
}
compdef _tamis tamis
`,
	"fish": `# fish completion for tamis (tamis completion fish)
function __tamis_complete
    set -l words (commandline -opc) (commandline -ct)
    tamis __complete $words[2..-1] 2>/dev/null
end
complete -c tamis -a '(__tamis_complete)'
`,
}

// complete prints the candidates for the last of words (the words after
// "tamis", the one being completed last, maybe empty), one a line; nothing
// means file names.
func complete(env *cliEnv, words []string) int {
	if len(words) == 0 {
		words = []string{""}
	}
	cur := words[len(words)-1]
	var out []string
	switch {
	case len(words) >= 2 && words[len(words)-2] == "--lang":
		out = []string{"en", "fr"}
	case len(words) == 1 && strings.HasPrefix(cur, "-"):
		out = []string{"--help", "--lang", "--version"}
	case len(words) == 1 || len(words) == 2 && words[0] == "help":
		out = append(commandNames(), "help", "version")
	case words[0] == "sieve" && len(words) == 2 && !strings.HasPrefix(cur, "-"):
		out = []string{"export", "import"}
	default:
		flags := commandFlags(env, words[0])
		if prev := words[len(words)-2]; strings.HasPrefix(prev, "-") {
			if values := flags[strings.TrimLeft(prev, "-")]; values != nil {
				out = values // empty: a file or free text
				break
			}
		}
		if strings.HasPrefix(cur, "-") {
			for name := range flags {
				if len(name) == 1 {
					out = append(out, "-"+name) // -l, -w, -d, as gofmt's
				} else {
					out = append(out, "--"+name)
				}
			}
			out = append(out, "--help", "--lang")
		}
	}
	sort.Strings(out)
	for _, c := range out {
		if strings.HasPrefix(c, cur) {
			fmt.Fprintln(env.stdout, c)
		}
	}
	return exitOK
}

func commandNames() []string {
	var names []string
	for name := range commands {
		names = append(names, name)
	}
	return names
}

// flagLine is a flag in the help's Flags section: "  -format format".
var flagLine = regexp.MustCompile(`(?m)^  -([a-z][a-z-]*)( \S+)?(?:\t.*)?$`)

// commandFlags returns the flags of a command, read from its help so that
// they never drift from it: each flag with the values it takes (from the
// usage line, "--format text|json"), an empty list for a flag that takes a
// file or free text, and nil for a switch.
func commandFlags(env *cliEnv, name string) map[string][]string {
	cmd, ok := commands[name]
	if !ok {
		return nil
	}
	var help bytes.Buffer
	cmd.run(&cliEnv{stdout: &help, stderr: &bytes.Buffer{}}, []string{"--help"})
	text := help.String()
	flags := map[string][]string{}
	for _, m := range flagLine.FindAllStringSubmatch(text, -1) {
		if m[2] == "" {
			flags[m[1]] = nil // a switch: nothing to complete after it
			continue
		}
		flags[m[1]] = []string{}
		usage := regexp.MustCompile(`--` + regexp.QuoteMeta(m[1]) + ` ([a-z0-9]+(?:\|[a-z0-9]+)+)\]`).FindStringSubmatch(text)
		if usage != nil {
			flags[m[1]] = strings.Split(usage[1], "|")
		}
	}
	return flags
}
