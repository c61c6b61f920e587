package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/tamis-mss/tamis/mssante"
)

var addressHelp = help{
	name:  "address",
	usage: "[--trust FILE [--checksum HEX]] [--format text|json] [--applicative GLOB] ADDRESS… | -",
	about: `
Address answers "can I send to this correspondent?" for each address given,
or for each line of standard input when an argument is "-" (blank lines are
skipped, spaces around a line are ignored).

Each address gets one line: ADDRESS, a tab, the verdict, a tab, the reason.
The verdict is exactly one of:
  trusted   the domain is in the MSSanté trust space
  patient   a patient mailbox <INS>@patient.mssante.fr; the reason says
            whether the matricule INS and its key are valid
  outside   a valid address outside the trust space
  invalid   not an acceptable address (quotes, display name, routing,
            whitespace, invisible characters…)
The reason starts with the applicative kind of the mailbox when it has one
(applicative, Apicrypt, patient), as a policy's "sender is" sees it. It names
the problem and, when a listed domain is close, ends with
"did you mean …?". Without --trust the built-in fallback (any *.mssante.fr
domain and the two Apicrypt domains) is used and the reason ends with
"(unverified)". An address holding control or invisible characters is
printed quoted, Go style with \u escapes, so that they show.

--format json prints one JSON object per line with the fields address,
verdict, kind, reason, normalized, suggestion and unverified.

Exit status: 0 when every address is trusted, 1 when any is not, 2 for bad
usage or a list or input that cannot be read.`,
	examples: `
tamis address --trust listeblanchemssante.xml --checksum "$(cat checksum)" secretariat@ch-exemple.mssante.fr
tamis address dr.martin@mssanté.fr "Dr Martin <dr.martin@cabinet.mssante.fr>"
tamis address --trust listeblanchemssante.xml --format json - < correspondants.txt`,
}

// addressResult is one line of "tamis address --format json".
type addressResult struct {
	Address    string          `json:"address"`
	Verdict    mssante.Verdict `json:"verdict"`
	Kind       mssante.Kind    `json:"kind"`
	Reason     string          `json:"reason"`
	Normalized string          `json:"normalized,omitempty"`
	Suggestion string          `json:"suggestion,omitempty"`
	Unverified bool            `json:"unverified"`
}

func runAddress(env *cliEnv, args []string) int {
	fs := newFlags("address")
	var trust trustFlags
	trust.register(fs)
	format := fs.String("format", "text", "output `format`: text or json")
	applicative := fs.String("applicative", mssante.DefaultApplicativePattern, "`glob` on the local part that marks applicative mailboxes")
	addrs, code, ok := parseArgs(env, fs, addressHelp, args)
	if !ok {
		return code
	}
	if !oneOf(env, "address", "format", *format, "text", "json") {
		return exitUsage
	}
	if len(addrs) == 0 {
		env.p.Fprintln(env.stderr, `tamis address: no address given; name addresses, or "-" to read them from standard input`)
		return exitUsage
	}
	ts, err := trust.load(env, true)
	if err != nil {
		env.p.Fprintf(env.stderr, "tamis address: %s\n", err)
		return exitUsage
	}
	list := ts.List()
	opts := mssante.ClassifyOptions{ApplicativePattern: *applicative}
	out := bufio.NewWriter(env.stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)

	exit := exitOK
	report := func(s string) {
		c := classify(list, s, opts)
		if c.Verdict != mssante.Trusted {
			exit = exitFound
		}
		if *format == "json" {
			r := addressResult{Address: s, Verdict: c.Verdict, Kind: c.Kind, Reason: c.Reason,
				Suggestion: c.Suggestion, Unverified: c.Unverified}
			if !c.Address.IsZero() {
				r.Normalized = c.Address.String()
			}
			_ = enc.Encode(r) // write errors surface at Flush
			return
		}
		fmt.Fprintf(out, "%s\t%s\t%s\n", printable(s), c.Verdict, addressReason(env, c))
	}
	for _, a := range addrs {
		if a != "-" {
			report(a)
			continue
		}
		sc := bufio.NewScanner(env.stdin)
		sc.Buffer(make([]byte, 0, 4096), 1<<20)
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); line != "" {
				report(line)
			}
		}
		if err := sc.Err(); err != nil {
			out.Flush()
			env.p.Fprintf(env.stderr, "tamis address: read standard input: %s\n", err)
			return exitUsage
		}
	}
	if err := out.Flush(); err != nil {
		env.p.Fprintf(env.stderr, "tamis address: %s\n", err)
		return exitUsage
	}
	return exit
}

// classify is ClassifyWith, except that a well-formed address on the
// patient domain is a patient mailbox whatever its matricule INS, as the
// engine's "sender is patient" sees it: a wrong INS key is said in the
// reason, and mail may go to it no more than to any patient.
func classify(list *mssante.List, s string, opts mssante.ClassifyOptions) mssante.Classification {
	c := list.ClassifyWith(s, opts)
	if c.Verdict == mssante.Invalid && c.Kind == mssante.KindPatient && !c.Address.IsZero() {
		c.Verdict = mssante.Patient
	}
	return c
}

// addressReason is the REASON column: the mailbox's applicative kind, the
// reason, the suggestion, and a mark when the answer rests on the
// unverified fallback.
func addressReason(env *cliEnv, c mssante.Classification) string {
	r := env.p.Text(c.Reason)
	switch c.Kind {
	case mssante.KindApplicative:
		r = env.p.Text("applicative mailbox (mail sent by software)") + "; " + r
	case mssante.KindApicrypt:
		r = env.p.Text("Apicrypt mailbox") + "; " + r
	}
	if c.Suggestion != "" {
		r += env.p.Sprintf("; did you mean %s?", c.Suggestion)
	}
	if c.Unverified {
		r += " " + env.p.Text("(unverified)")
	}
	return strings.ReplaceAll(r, "\t", " ")
}

// printable returns s as typed when every character shows, or quoted Go
// style when it holds tabs, line breaks, control, invisible or combining
// characters (or invalid UTF-8), so that one address stays one line and a
// spoof stays visible.
func printable(s string) string {
	if strings.ContainsFunc(s, func(r rune) bool {
		return !unicode.IsPrint(r) || unicode.In(r, unicode.Mn, unicode.Me) || r == unicode.ReplacementChar
	}) {
		return strconv.QuoteToASCII(s)
	}
	return s
}
