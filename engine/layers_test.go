package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/rules"
)

func TestCompileLayersMailboxConflict(t *testing.T) {
	user := parseLayer(t, "user.rules", `mailbox "autre@medecin.mssante.fr"`+"\n"+`rule "u" { keep }`)
	opts := engine.DefaultOptions()
	opts.Mailbox = layerMailbox
	prog, d := engine.CompileLayers(context.Background(), engine.Layers{User: user}, opts)
	if prog != nil || !d.HasErrors() {
		t.Fatalf("a layer for another mailbox compiled: %v", d)
	}
	if d[0].Code != engine.CodeLayerMailbox || d[0].Range.File != "user.rules" || !strings.Contains(d[0].Message, layerMailbox) {
		t.Errorf("diagnostic %+v", d[0])
	}
	// The same mailbox, in another case, is fine.
	user = parseLayer(t, "user.rules", `mailbox "Dr.Martin@medecin.mssante.fr"`+"\n"+`rule "u" { keep }`)
	if _, d := engine.CompileLayers(context.Background(), engine.Layers{User: user}, opts); d.HasErrors() {
		t.Errorf("same mailbox in another case: %v", d)
	}
}

func TestCompileLayersErrorsPositionedPerLayer(t *testing.T) {
	before := parseLayer(t, "operator/before/10.rules", `rule "b" { copy to "secretariat@outlook.fr" }`)
	user := parseLayer(t, "user.rules", `rule "u" { copy to "x@gmail.com" }`)
	prog, d := engine.CompileLayers(context.Background(), engine.Layers{Before: []*rules.Policy{before}, User: user}, engine.DefaultOptions())
	if prog != nil {
		t.Fatal("compiled despite refused targets")
	}
	files := map[string]bool{}
	unverified := 0
	for _, x := range d {
		if x.Severity == rules.Error {
			files[x.Range.File] = true
		}
		if x.Code == rules.CodeUnverifiedTrust {
			unverified++
		}
	}
	if !files["operator/before/10.rules"] || !files["user.rules"] {
		t.Errorf("errors not positioned in each layer: %v", d)
	}
	if unverified != 1 {
		t.Errorf("the unverified-trust warning appears %d times, want once", unverified)
	}
}

func TestCompileLayersEmptyKeeps(t *testing.T) {
	prog, d := engine.CompileLayers(context.Background(), engine.Layers{}, engine.DefaultOptions())
	if d.HasErrors() || prog == nil {
		t.Fatal(d)
	}
	res := prog.Evaluate(context.Background(), engine.Delivery{Message: layerMsg(t), EnvelopeFrom: layerSender, EnvelopeTo: layerMailbox})
	if !res.ImplicitKeep || len(res.Actions) != 0 {
		t.Errorf("no layer: %s", res.Summary())
	}
}

// TestLayersAlsoCountsForAll checks that the holder's addresses named by one
// layer protect the others: an operator copy to the user's other address is
// refused at evaluation as a self target.
func TestLayersAlsoCountsForAll(t *testing.T) {
	before := parseLayer(t, "before.rules", `rule "b" { copy to "a.martin@medecin.mssante.fr" }`)
	user := parseLayer(t, "user.rules", `also "a.martin@medecin.mssante.fr"`+"\n"+`rule "u" { flag "\\Seen" }`)
	opts := engine.DefaultOptions()
	opts.Mailbox = layerMailbox
	prog, d := engine.CompileLayers(context.Background(), engine.Layers{Before: []*rules.Policy{before}, User: user}, opts)
	if d.HasErrors() {
		t.Fatal(d)
	}
	res := prog.Evaluate(context.Background(), engine.Delivery{Message: layerMsg(t), EnvelopeFrom: layerSender, EnvelopeTo: layerMailbox})
	if len(res.Refused) != 1 || res.Refused[0].Code != "self-target" || !res.ImplicitKeep {
		t.Errorf("copy to the holder's other address: %s", res.Summary())
	}
}

func TestLayersRuntimeErrorIsFailSafe(t *testing.T) {
	var before []*rules.Policy
	for _, target := range []string{"a", "b", "c"} {
		before = append(before, parseLayer(t, "b"+target+".rules", `rule "c`+target+`" { copy to "`+target+`@chu-nantes.mssante.fr" }`))
	}
	user := parseLayer(t, "user.rules", `rule "u" { copy to "d@chu-nantes.mssante.fr"; copy to "e@chu-nantes.mssante.fr" }`)
	prog, d := engine.CompileLayers(context.Background(), engine.Layers{Before: before, User: user}, engine.DefaultOptions())
	if d.HasErrors() {
		t.Fatal(d)
	}
	res := prog.Evaluate(context.Background(), engine.Delivery{Message: layerMsg(t), EnvelopeFrom: layerSender, EnvelopeTo: layerMailbox})
	if len(res.Errors) != 1 || len(res.Actions) != 0 || !res.ImplicitKeep {
		t.Errorf("5 targets over the layers (limit 4): %s", res.Summary())
	}
}

func layerMsg(t testing.TB) *message.Message {
	t.Helper()
	m, err := message.Parse([]byte("From: "+layerSender+"\r\nTo: "+layerMailbox+"\r\nSubject: x\r\n\r\nbody\r\n"), message.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	return m
}
