package lsp_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	protocol "github.com/tliron/glsp/protocol_3_16"
	"golang.org/x/text/language"

	"github.com/tamis-mss/tamis/internal/lsptest"
	"github.com/tamis-mss/tamis/internal/testenv"
	"github.com/tamis-mss/tamis/lsp"
)

// start runs a server on pipes, through the transport "tamis lsp" uses on
// its standard input and output, and returns a client connected to it and
// the server's result, sent when Serve returns.
func start(t *testing.T, opts lsp.Options) (*lsptest.Client, <-chan error) {
	t.Helper()
	clientOut, serverIn := io.Pipe()
	serverOut, clientIn := io.Pipe()
	done := make(chan error, 1)
	srv := lsp.New(opts)
	go func() { done <- srv.Serve(context.Background(), clientOut, clientIn) }()
	return lsptest.New(t, serverOut, serverIn), done
}

// ended waits for the server to return from Serve.
func ended(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not end after exit")
		return nil
	}
}

// TestExchange runs an editor's whole session in process, the published
// trust list given as initializationOptions.
func TestExchange(t *testing.T) {
	c, done := start(t, lsp.Options{})
	lsptest.Exchange(t, c, t.TempDir(), map[string]string{"trust": testenv.TrustList(t), "checksum": testenv.TrustListSHA256})
	if err := ended(t, done); err != nil {
		t.Errorf("Serve after shutdown and exit: %v", err)
	}
}

// TestExitWithoutShutdown checks that Serve reports an exit that was not
// preceded by shutdown, for "tamis lsp" to exit with status 1.
func TestExitWithoutShutdown(t *testing.T) {
	c, done := start(t, lsp.Options{})
	c.MustCall("initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}}, nil)
	c.Notify("exit", nil)
	if err := ended(t, done); !errors.Is(err, lsp.ErrNoShutdown) {
		t.Errorf("Serve after exit without shutdown: got %v, want ErrNoShutdown", err)
	}
}

// TestBeforeInitialize checks that a request before initialize is refused.
func TestBeforeInitialize(t *testing.T) {
	c, _ := start(t, lsp.Options{})
	err := c.Call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": "file:///x.rules"}, "position": map[string]int{"line": 0, "character": 0}}, nil)
	if err == nil || !strings.Contains(err.Error(), "not initialized") {
		t.Errorf("hover before initialize: got %v", err)
	}
}

// TestFallbackTrust checks the server without a trust list: the client is
// told once, targets are checked against the fallback (which accepts any
// *.mssante.fr domain), and domain completion offers its two listed
// domains as unverified.
func TestFallbackTrust(t *testing.T) {
	c, _ := start(t, lsp.Options{})
	initialize(t, c, nil)
	var msg protocol.LogMessageParams
	if err := json.Unmarshal(c.Next("window/logMessage", nil), &msg); err != nil || !strings.Contains(msg.Message, "built-in fallback") {
		t.Errorf("logMessage: got %+v (%v)", msg, err)
	}
	uri := open(t, c, "mailbox \"a@medecin.mssante.fr\"\nrule \"r\" {\n    copy to \"x@hopital-inconnu.mssante.fr\"\n    reroute to \"x@gmail.com\"\n    copy to \"b@\"\n}\n")
	diags := c.Diagnostics(uri, 1)
	if len(diags) != 2 || !strings.Contains(diags[0].Message, `"x@gmail.com" is outside the MSSanté trust space`) ||
		!strings.Contains(diags[0].Message, "not in the built-in fallback list") || strings.Contains(diags[0].Message, "unverified fallback") {
		t.Errorf("diagnostics with the fallback: %+v", diags)
	}
	items := completion(t, c, uri, 4, 15)
	var labels []string
	for _, it := range items.Items {
		labels = append(labels, it.Label)
		if it.Detail == nil || *it.Detail != "built-in fallback list (unverified)" {
			t.Errorf("domain %s: detail %v", it.Label, it.Detail)
		}
	}
	if strings.Join(labels, " ") != "interop-mssante.apicrypt.org mssante.apicrypt.org" {
		t.Errorf("fallback domains: got %v", labels)
	}

	// A change without a range replaces the whole text.
	c.Notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": 2},
		"contentChanges": []map[string]any{{"text": "rule \"r\" {\n    kepe\n}\n"}},
	})
	if diags := c.Diagnostics(uri, 2); len(diags) != 1 || diags[0].Code != "unknown-keyword" || diags[0].Range.Start.Line != 1 {
		t.Errorf("after a whole-text change: %+v", diags)
	}
}

// TestTrustLoadFailure checks that a list that cannot be loaded is shown
// to the user, and the fallback used.
func TestTrustLoadFailure(t *testing.T) {
	c, _ := start(t, lsp.Options{})
	initialize(t, c, map[string]string{"trust": testenv.TrustList(t), "checksum": strings.Repeat("0", 64)})
	var msg protocol.ShowMessageParams
	if err := json.Unmarshal(c.Next("window/showMessage", nil), &msg); err != nil ||
		msg.Type != protocol.MessageTypeError || !strings.Contains(msg.Message, "cannot load the trust list") || !strings.Contains(msg.Message, "checksum") {
		t.Errorf("showMessage: got %+v (%v)", msg, err)
	}
}

func initialize(t *testing.T, c *lsptest.Client, initOptions any) {
	t.Helper()
	c.MustCall("initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}, "initializationOptions": initOptions}, nil)
	c.Notify("initialized", map[string]any{})
}

const testURI = "file:///policies/test.rules"

func open(t *testing.T, c *lsptest.Client, text string) protocol.DocumentUri {
	t.Helper()
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": testURI, "languageId": "tamis", "version": 1, "text": text}})
	return testURI
}

func completion(t *testing.T, c *lsptest.Client, uri protocol.DocumentUri, line, char int) protocol.CompletionList {
	t.Helper()
	var list protocol.CompletionList
	c.MustCall("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]int{"line": line, "character": char}}, &list)
	return list
}

// TestConfigurationChange checks that a trust list named in the settings
// is loaded, relative to the workspace root, and the open documents checked
// again against it.
func TestConfigurationChange(t *testing.T) {
	c, _ := start(t, lsp.Options{})
	list := testenv.TrustList(t)
	c.MustCall("initialize", map[string]any{"processId": nil, "rootUri": lsptest.FileURI(filepath.Dir(list)), "capabilities": map[string]any{}}, nil)
	c.Notify("initialized", map[string]any{})
	uri := open(t, c, "rule \"r\" {\n    copy to \"x@hopital-inconnu.mssante.fr\"\n}\n")
	if diags := c.Diagnostics(uri, 1); len(diags) != 0 {
		t.Fatalf("with the fallback: %+v", diags)
	}
	c.Notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{
		"tamis": map[string]string{"trust": filepath.Base(list), "checksum": testenv.TrustListSHA256},
	}})
	diags := c.Diagnostics(uri, 1)
	if len(diags) != 1 || diags[0].Code != "outside-trust-space" || !strings.Contains(diags[0].Message, "trust list of 2025-03-13") {
		t.Errorf("with the published list: %+v", diags)
	}
}

// TestFrenchDiagnostics checks that Options.Language translates the
// diagnostics and hints, and keeps their codes.
func TestFrenchDiagnostics(t *testing.T) {
	c, _ := start(t, lsp.Options{Language: language.French})
	initialize(t, c, nil)
	uri := open(t, c, "rule \"r\" {\n    copie to \"x@medecin.mssante.fr\"\n}\n")
	diags := c.Diagnostics(uri, 1)
	if len(diags) != 1 || diags[0].Code != "unknown-keyword" ||
		diags[0].Message != "mot-clé \"copie\" inconnu dans une règle\nconseil : vouliez-vous dire \"copy to\" ?" {
		t.Errorf("French diagnostics: %+v", diags)
	}
}

// TestLanguageOfTheSession checks the language of a session: the client's
// locale (LSP 3.16's initialize param) when it names a supported
// language, else Options.Language; with FixedLanguage, Options.Language
// whatever the client says. Hover, completion, diagnostics and messages
// follow it; codes and keywords do not.
func TestLanguageOfTheSession(t *testing.T) {
	for _, c := range []struct {
		name   string
		opts   lsp.Options
		locale string
		french bool
	}{
		{"default", lsp.Options{}, "", false},
		{"client in French", lsp.Options{}, "fr", true},
		{"client in French, with a territory", lsp.Options{}, "fr-FR", true},
		{"client in English, French locale variables", lsp.Options{Language: language.French}, "en", false},
		{"client in German, French locale variables", lsp.Options{Language: language.French}, "de", true},
		{"no client locale, French locale variables", lsp.Options{Language: language.French}, "", true},
		{"--lang fr, client in English", lsp.Options{Language: language.French, FixedLanguage: true}, "en", true},
		{"--lang en, client in French", lsp.Options{Language: language.English, FixedLanguage: true}, "fr", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			client, done := start(t, c.opts)
			said := lsptest.Speak(t, client, c.locale)
			if c.french {
				lsptest.WantFrench(t, said)
			} else {
				lsptest.WantEnglish(t, said)
			}
			if err := ended(t, done); err != nil {
				t.Errorf("Serve: %v", err)
			}
		})
	}
}

// TestRelatedInformation checks that the related positions of a diagnostic
// reach the editor as the protocol's related information, in the document.
func TestRelatedInformation(t *testing.T) {
	c, _ := start(t, lsp.Options{})
	initialize(t, c, nil)
	uri := open(t, c, "rule \"Tri\" {\n    file into \"Tri\"\n}\nrule \"Refus\" {\n    reject \"Non.\"\n}\n")
	diags := c.Diagnostics(uri, 1)
	if len(diags) != 1 || diags[0].Code != "reject-conflict" {
		t.Fatalf("diagnostics: %+v", diags)
	}
	rel := diags[0].RelatedInformation
	if len(rel) != 1 || rel[0].Location.URI != uri || rel[0].Location.Range.Start.Line != 1 || rel[0].Location.Range.Start.Character != 4 || !strings.Contains(rel[0].Message, "file into") {
		t.Errorf("related information: %+v", rel)
	}
}
