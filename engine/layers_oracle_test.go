package engine_test

import (
	"context"
	"fmt"
	"mime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/engine/vacation"
	"github.com/tamis-mss/tamis/internal/oracle"
	"github.com/tamis-mss/tamis/parser"
	"github.com/tamis-mss/tamis/rules"
	"github.com/tamis-mss/tamis/sieve"
)

// layerCase is a sequence of layers: operator policies before, the user's
// policy (empty: none), operator policies after.
type layerCase struct {
	name          string
	before        []string
	user          string
	after         []string
	subject, from string // of the message; defaults below
}

const (
	layerMailbox = "dr.martin@medecin.mssante.fr"
	layerSender  = "confrere@chu-nantes.mssante.fr"
)

// layerCases covers what each action means at a layer boundary: stop ends
// a layer only; the next layer runs only while the message is kept; actions
// merge across layers; the first absence reply wins.
var layerCases = []layerCase{
	{name: "stop-ends-the-layer-only", before: []string{`rule "s" { stop }`}, user: `rule "u" { file into "U" }`},
	{name: "discard-skips-later-layers", before: []string{`rule "d" { discard }`}, user: `rule "u" { file into "U" }`},
	{name: "fileinto-skips-later-layers", before: []string{`rule "f" { file into "A" }`}, user: `rule "u" { copy to "secretariat@chu-nantes.mssante.fr" }`},
	{name: "reroute-skips-later-layers", user: `rule "r" { reroute to "remplacant@medecin.mssante.fr" }`, after: []string{`rule "audit" { file into "Audit" }`}},
	{name: "explicit-keep-continues", before: []string{`rule "k" { keep }`}, user: `rule "u" { file into "U" }`},
	{name: "copy-continues", before: []string{`rule "c" { copy to "secretariat@chu-nantes.mssante.fr" }`}, user: `rule "u" { file into "U" }`},
	{name: "same-copy-merged", before: []string{`rule "c" { copy to "secretariat@chu-nantes.mssante.fr" }`}, user: `rule "c2" { copy to "secretariat@chu-nantes.mssante.fr" }`},
	{name: "inbox-fileinto-ends-the-sequence", user: `rule "i" { file into "INBOX" }`, after: []string{`rule "a" { file into "Archive" }`}},
	{name: "user-stop-runs-after", user: `rule "s" { stop }`, after: []string{`rule "a" { file into "Archive" }`}},
	{name: "after-discard-keeps-copies", user: `rule "c" { copy to "secretariat@chu-nantes.mssante.fr" }`, after: []string{`rule "d" { discard }`}},
	{name: "flags-carry-over", before: []string{`rule "f" { flag "\\Flagged" }`}, user: `rule "u" { file into "U" }`},
	{name: "no-user-layer", before: []string{`rule "b" { when subject contains "urgent"; file into "Urgent" }`}, after: []string{`rule "a" { file into "Archive" }`}},
	{name: "conditions-per-layer", subject: "Résultats urgents",
		before: []string{`rule "b" { when subject contains "urgent"; flag "$Urgent" }`, `rule "b2" { when from domain is "labo.mssante.fr"; file into "Labo" }`},
		user:   `rule "u" { when subject contains "résultats"; copy to "secretariat@chu-nantes.mssante.fr" }`,
		after:  []string{`rule "a" { when subject contains "urgent"; file into "Urgent" }`}},
	{name: "first-reply-wins", before: []string{"vacation \"op\" {\n reply \"Service fermé\"\n subject \"Fermeture\"\n}"},
		user: "vacation \"moi\" {\n reply \"Je suis absent\"\n subject \"Absence\"\n}"},
	{name: "user-reply-then-after-copy", user: "vacation \"moi\" {\n reply \"Je suis absent\"\n subject \"Absence\"\n}",
		after: []string{`rule "c" { copy to "secretariat@chu-nantes.mssante.fr" }`}},
	{name: "reject-skips-later-layers", subject: "Offre pub",
		before: []string{`rule "r" { when subject contains "pub"; reject "Publicité refusée" }`}, user: `rule "u" { file into "U" }`},
	{name: "keep-then-discard-continues", user: "rule \"k\" {\n keep\n discard\n}", after: []string{`rule "a" { file into "Archive" }`}},
	{name: "stop-after-copy-then-next-before", before: []string{"rule \"c\" {\n copy to \"secretariat@chu-nantes.mssante.fr\"\n stop\n}", `rule "b" { file into "B" }`},
		user: `rule "u" { file into "U" }`},
	{name: "reply-then-discard", user: "vacation \"moi\" {\n reply \"Je suis absent\"\n subject \"Absence\"\n discard\n}",
		after: []string{`rule "a" { file into "Archive" }`}},
}

func parseLayer(t testing.TB, name, src string) *rules.Policy {
	t.Helper()
	p, d := parser.Parse(name, []byte(src+"\n"), parser.DefaultOptions())
	if d.HasErrors() {
		t.Fatalf("%s: %v", name, d)
	}
	return p
}

// TestLayersOracle runs every layer case in tamis (CompileLayers) and in
// Pigeonhole (the layers exported to Sieve, run in sequence by sieve-test -s
// as sieve_before / sieve_after scripts) and compares the outcomes.
func TestLayersOracle(t *testing.T) {
	oracle.RequireAvailable(t)
	agree := 0
	for _, c := range layerCases {
		t.Run(c.name, func(t *testing.T) {
			var layers engine.Layers
			for i, src := range c.before {
				layers.Before = append(layers.Before, parseLayer(t, fmt.Sprintf("before%d.rules", i+1), src))
			}
			if c.user != "" {
				layers.User = parseLayer(t, "user.rules", c.user)
			}
			for i, src := range c.after {
				layers.After = append(layers.After, parseLayer(t, fmt.Sprintf("after%d.rules", i+1), src))
			}
			opts := engine.DefaultOptions()
			opts.Mailbox = layerMailbox
			opts.Tracker = vacation.NewMemoryTracker(0)
			prog, d := engine.CompileLayers(context.Background(), layers, opts)
			if d.HasErrors() {
				t.Fatal(d)
			}
			subject := c.subject
			if subject == "" {
				subject = "Compte rendu"
			}
			from := c.from
			if from == "" {
				from = layerSender
			}
			raw := fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <1@chu-nantes.mssante.fr>\r\nDate: Mon, 1 Dec 2025 10:00:00 +0100\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBonjour.\r\n",
				from, layerMailbox, mime.QEncoding.Encode("utf-8", subject))
			m, err := message.Parse([]byte(raw), message.DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			at := time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC)
			res := prog.Evaluate(context.Background(), engine.Delivery{Message: m, EnvelopeFrom: from, EnvelopeTo: layerMailbox, Time: at})
			got := layerEngineLines(res)

			var scripts [][]byte
			for _, p := range layers.All() {
				s, d := sieve.Export(p)
				if d.HasErrors() {
					t.Fatalf("export %s: %v", p.File, d)
				}
				scripts = append(scripts, s)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			o, err := oracle.Run(ctx, oracle.Request{Before: scripts[:len(scripts)-1], Script: scripts[len(scripts)-1],
				Message: []byte(raw), Now: at, From: from, Rcpt: layerMailbox})
			if err != nil {
				t.Fatal(err)
			}
			if o.ExitCode != oracle.ExitSuccess {
				t.Fatalf("Pigeonhole exit %d: %s", o.ExitCode, o.Stderr)
			}
			want := layerOracleLines(o)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("tamis and Pigeonhole differ:\ntamis:\n  %s\nPigeonhole:\n  %s\ntamis result: %s\nPigeonhole report:\n%s",
					strings.Join(got, "\n  "), strings.Join(want, "\n  "), res.Summary(), o.Stdout)
				return
			}
			agree++
		})
	}
	t.Logf("tamis and Pigeonhole agree on %d of %d layer sequences", agree, len(layerCases))
}

// The outcomes of both sides, normalised to comparable lines: stores with
// their flags (a keep and a file into "INBOX" are one store, as Pigeonhole
// reports them), discards, redirects (":copy" when the keep is preserved),
// the planned reply's subject and text, and the implicit keep.

func layerFlags(flags []string) string {
	if len(flags) == 0 {
		return ""
	}
	out := make([]string, len(flags))
	for i, f := range flags {
		if strings.HasPrefix(f, `\`) {
			f = strings.ToLower(f) // system flags compare without case
		}
		out[i] = f
	}
	slices.Sort(out)
	return " flags " + strings.Join(slices.Compact(out), " ")
}

func layerRedirect(target string, copy bool) string {
	if at := strings.LastIndexByte(target, '@'); at >= 0 {
		target = target[:at] + strings.ToLower(target[at:])
	}
	if copy {
		return fmt.Sprintf("redirect %q :copy", target)
	}
	return fmt.Sprintf("redirect %q", target)
}

func layerEngineLines(res engine.Result) []string {
	var flags []string
	for _, a := range res.Actions {
		if a.Kind == engine.ActionFlag {
			flags = append(flags, a.Flags...)
		}
	}
	var lines []string
	for _, a := range res.Actions {
		switch a.Kind {
		case engine.ActionKeep:
			lines = append(lines, "store INBOX"+layerFlags(flags))
		case engine.ActionFileInto:
			lines = append(lines, "store "+a.Folder+layerFlags(flags))
		case engine.ActionDiscard, engine.ActionReject:
			lines = append(lines, a.Kind.String())
		case engine.ActionReroute, engine.ActionCopy:
			lines = append(lines, layerRedirect(a.Target.String(), a.Kind == engine.ActionCopy))
		}
	}
	if rp := res.Reply; rp != nil {
		text := "(unreadable reply)"
		if m, err := message.Parse(rp.Bytes, message.DefaultOptions()); err == nil {
			text = strings.Join(m.BodyText(), "\n")
		}
		lines = append(lines, fmt.Sprintf("reply subject %q text %q", rp.Subject, strings.TrimRight(strings.ReplaceAll(text, "\r\n", "\n"), "\n")))
	} else if res.Suppressed != nil {
		lines = append(lines, "reply suppressed: "+res.Suppressed.Code)
	}
	for _, f := range res.Refused {
		lines = append(lines, "refused "+layerRedirect(f.Target, f.Kind == engine.ActionCopy))
	}
	if len(res.Errors) > 0 {
		lines = append(lines, "runtime error")
	}
	if res.ImplicitKeep {
		lines = append(lines, "implicit keep"+layerFlags(flags))
	}
	return lines
}

func layerOracleLines(o oracle.Outcome) []string {
	var lines []string
	for _, a := range o.Actions {
		switch a.Kind {
		case oracle.KindKeep:
			lines = append(lines, "store INBOX"+layerFlags(a.Flags))
		case oracle.KindFileInto:
			lines = append(lines, "store "+a.Folder+layerFlags(a.Flags))
		case oracle.KindDiscard, oracle.KindReject:
			lines = append(lines, a.Kind)
		case oracle.KindRedirect:
			lines = append(lines, layerRedirect(a.Target, a.Copy))
		}
	}
	if v := o.Vacation; v != nil {
		lines = append(lines, fmt.Sprintf("reply subject %q text %q", v.Subject, strings.TrimRight(strings.ReplaceAll(v.Body, "\r\n", "\n"), "\n")))
	}
	if o.ExitCode == oracle.ExitRuntimeError {
		lines = append(lines, "runtime error")
	}
	if o.ImplicitKeep {
		lines = append(lines, "implicit keep"+layerFlags(o.KeepFlags))
	}
	return lines
}
