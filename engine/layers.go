package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/tamis-mss/tamis/mssante"
	"github.com/tamis-mss/tamis/rules"
)

// Layers are the policies of one mailbox, run in sequence as Pigeonhole runs
// sieve_before scripts, the user's script and sieve_after scripts: the
// operator's policies that run before the user's, the user's policy (nil
// when the user has none active), and the operator's policies that run
// after it.
type Layers struct {
	Before []*rules.Policy
	User   *rules.Policy
	After  []*rules.Policy
}

// All returns the layers in the order they run.
func (l Layers) All() []*rules.Policy {
	all := slices.Clone(l.Before)
	if l.User != nil {
		all = append(all, l.User)
	}
	return append(all, l.After...)
}

// CodeLayerMailbox is the diagnostic of a layer that names another mailbox
// than the one its layers are compiled for.
const CodeLayerMailbox rules.Code = "layer-mailbox"

// CompileLayers compiles the layers of one mailbox into one Program. The
// layers run in sequence with Pigeonhole's multiscript semantics:
//
//   - each layer runs from its first statement; "stop" ends that layer
//     only, and the next one runs;
//   - the next layer runs only while the message is still kept: once a
//     layer has cancelled the implicit keep (discard, reject, reroute, file
//     into, even into "INBOX") without an explicit keep, the layers after
//     it do not run. An
//     operator rule that must see every message therefore belongs in a
//     "before" layer: a user's discard or reroute skips the "after" ones;
//   - actions accumulate and merge across layers as within one policy
//     (one copy per target, one store per folder, flags merged), the
//     implicit keep is that of the last layer that ran, and at most
//     Options.MaxRedirects targets are allowed over all layers;
//   - the first absence reply that applies, in whichever layer, is the only
//     one (Pigeonhole silently drops a later script's vacation);
//   - a runtime error in any layer gives the fail-safe result for the whole
//     message: the implicit keep and no action, the actions of the layers
//     that ran before it included (Pigeonhole too performs nothing but the
//     implicit keep then).
//
// Every layer is compiled with opts, so that they share its Tracker and are
// checked against the same trust space.
// The mailbox is opts.Mailbox, else the one the layers name; two layers
// naming different mailboxes, or a layer naming another one than
// opts.Mailbox, is an error. The holder's "also" addresses of every layer
// count for all of them at evaluation. Diagnostics are positioned in each
// layer's own file. Any error diagnostic yields a nil Program.
func CompileLayers(ctx context.Context, layers Layers, opts Options) (*Program, rules.Diagnostics) {
	all := layers.All()
	if opts.Trust == nil {
		opts.Trust = mssante.NewTrustSpace(nil)
	}
	opts = opts.withDefaults()
	var diags rules.Diagnostics
	mailbox := strings.TrimSpace(opts.Mailbox)
	from := "the options"
	for _, p := range all {
		if p == nil || p.Mailbox == nil {
			continue
		}
		m := strings.TrimSpace(p.Mailbox.Value)
		switch {
		case mailbox == "":
			mailbox, from = m, p.File
		case !strings.EqualFold(m, mailbox):
			diags = append(diags, rules.Diagnostic{Severity: rules.Error, Code: CodeLayerMailbox, Range: p.Mailbox.Range,
				Message: fmt.Sprintf("this policy is for mailbox %s, but its layers are compiled for %s (named by %s)", m, mailbox, from),
				Hint:    "a layer may omit the mailbox line; when it has one, it must name the mailbox it is installed for"})
		}
	}
	opts.Mailbox = mailbox

	layered := &Program{opts: opts, mailbox: mailbox, list: opts.Trust.List(), layers: []*Program{},
		headerNames: fixedHeaderSlots, addressNames: []string{"From"}}
	unverified := false
	for _, p := range all {
		prog, d := Compile(ctx, p, opts)
		for _, x := range d {
			if x.Code == rules.CodeUnverifiedTrust {
				if unverified {
					continue // said once for all the layers
				}
				unverified = true
			}
			diags = append(diags, x)
		}
		if prog == nil {
			continue
		}
		if layered.file == "" {
			layered.file = prog.file
		}
		if layered.loc == nil || p == layers.User {
			layered.loc = prog.loc
		}
		for _, a := range prog.also {
			if !slices.ContainsFunc(layered.also, func(b string) bool { return strings.EqualFold(a, b) }) {
				layered.also = append(layered.also, a)
			}
		}
		layered.layers = append(layered.layers, prog)
	}
	if diags.HasErrors() {
		return nil, diags
	}
	if layered.loc == nil {
		layered.loc = (&compiler{policy: &rules.Policy{}}).location()
	}
	for _, l := range layered.layers {
		layered.stmts = append(layered.stmts, l.stmts...)
	}
	return layered, diags
}

// keptSoFar reports whether the next layer runs: the implicit keep is still
// in force, or an explicit keep stores the message. As in Pigeonhole, a file
// into "INBOX" stores the message but ends the sequence like any file into.
func (s *evalState) keptSoFar() bool {
	return !s.cancel || s.find(ActionKeep, "", "") != nil
}

// runLayers runs the layers of a layered program in sequence (see
// CompileLayers), each with its own header caches and zone, then leaves s.p
// on the layered program for finish.
func (s *evalState) runLayers(p *Program) {
	defer func() {
		s.p, s.haveLoc = p, false
		s.resetCaches(len(p.headerNames), len(p.addressNames))
	}()
	for _, l := range p.layers {
		s.p, s.haveLoc = l, false
		s.resetCaches(len(l.headerNames), len(l.addressNames))
		s.run()
		if s.err != nil || !s.keptSoFar() {
			return
		}
	}
}
