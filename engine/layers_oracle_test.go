package engine_test

import (
	"context"
	"fmt"
	"mime"
	"strings"
	"testing"
	"time"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/engine/message"
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
	{name: "reply-then-discard", user: "vacation \"moi\" {\n reply \"Je suis absent\"\n subject \"Absence\"\n discard\n}",
		after: []string{`rule "a" { file into "Archive" }`}},
}

func parseLayer(t *testing.T, name, src string) *rules.Policy {
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
			prog, d := engine.CompileLayers(layers, opts)
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
			got := engineLines(res, false)

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
			want := oracleLines(o, false)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("tamis and Pigeonhole differ:\n%s\ntamis: %s\nPigeonhole report:\n%s", lineDiff(want, got), res.Summary(), o.Stdout)
				return
			}
			agree++
		})
	}
	t.Logf("tamis and Pigeonhole agree on %d of %d layer sequences", agree, len(layerCases))
}
