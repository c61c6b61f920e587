package lsptest

import (
	"encoding/json"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	protocol "github.com/tliron/glsp/protocol_3_16"
)

// policyWithProblems is the first document of the exchange. Line 3 holds
// a rule name with a character outside the Basic Multilingual Plane (two
// UTF-16 code units, one character, four bytes) before a copy target whose
// domain ends in .mssante.fr but is not in the published list: the
// built-in fallback would accept it. Line 7 has an unknown keyword.
const policyWithProblems = `mailbox "cabinet@medecin.mssante.fr"

rule "Secrétariat 🩺" { copy to "secretariat@hopital-inconnu.mssante.fr" }

rule "Gros fichiers" {
    when size over 25M
    rediriger vers "accueil@chu-nantes.mssante.fr"
}
`

// policyFixed is the canonical form of the first document once fixed.
const policyFixed = `mailbox "cabinet@medecin.mssante.fr"

rule "Secrétariat 🩺" {
    copy to "secretariat@chu-nantes.mssante.fr"
}

rule "Gros fichiers" {
    when size over 25M
    reroute to "accueil@chu-nantes.mssante.fr"
}
`

// policyTyping is a document being typed, for completion.
const policyTyping = `mailbox "cabinet@medecin.mssante.fr"
ti
rule "Urgences" {
    when sender is pat
    co
    copy to "garde@chu-nan"
}
`

// FileURI returns the file: URI of path.
func FileURI(path string) protocol.DocumentUri {
	return protocol.DocumentUri((&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String())
}

func pos(line, char int) protocol.Position {
	return protocol.Position{Line: protocol.UInteger(line), Character: protocol.UInteger(char)}
}

func rng(l1, c1, l2, c2 int) protocol.Range {
	return protocol.Range{Start: pos(l1, c1), End: pos(l2, c2)}
}

// Exchange runs an editor's session with a server that checks against the
// published trust list of 2025-03-13 (testenv.TrustList), and asserts
// every answer: initialize, initialized, didOpen and the diagnostics (a
// trust refusal with its range and message, and a syntax error),
// formatting refused then done, completion of keywords and of a trusted
// domain, hover, didChange with incremental edits, didClose, shutdown and
// exit. initOptions are sent as initializationOptions. The caller checks
// that the server then ends successfully.
func Exchange(t *testing.T, c *Client, dir string, initOptions any) {
	t.Helper()

	// initialize, initialized.
	root := FileURI(dir)
	var init struct {
		Capabilities struct {
			TextDocumentSync struct {
				OpenClose bool `json:"openClose"`
				Change    int  `json:"change"`
			} `json:"textDocumentSync"`
			CompletionProvider struct {
				TriggerCharacters []string `json:"triggerCharacters"`
			} `json:"completionProvider"`
			HoverProvider              bool `json:"hoverProvider"`
			DocumentFormattingProvider bool `json:"documentFormattingProvider"`
		} `json:"capabilities"`
		ServerInfo struct {
			Name string `json:"name"`
		} `json:"serverInfo"`
	}
	c.MustCall("initialize", map[string]any{
		"processId": nil, "rootUri": root, "capabilities": map[string]any{},
		"initializationOptions": initOptions,
	}, &init)
	caps := init.Capabilities
	if init.ServerInfo.Name != "tamis" || !caps.TextDocumentSync.OpenClose || caps.TextDocumentSync.Change != 2 ||
		!slices.Equal(caps.CompletionProvider.TriggerCharacters, []string{"@"}) || !caps.HoverProvider || !caps.DocumentFormattingProvider {
		t.Fatalf("initialize: unexpected result %+v", init)
	}
	c.Notify("initialized", map[string]any{})

	// didOpen → diagnostics.
	uri := FileURI(filepath.Join(dir, "cabinet.rules"))
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "tamis", "version": 1, "text": policyWithProblems,
	}})
	diags := c.Diagnostics(uri, 1)
	if len(diags) != 2 {
		t.Fatalf("didOpen: want 2 diagnostics, got %d: %+v", len(diags), diags)
	}
	wantDiagnostic(t, diags[0], rng(2, 32, 2, 72), "outside-trust-space",
		`copy target "secretariat@hopital-inconnu.mssante.fr" is outside the MSSanté trust space: hopital-inconnu.mssante.fr is not listed in the trust list of 2025-03-13`)
	wantDiagnostic(t, diags[1], rng(6, 4, 6, 13), "unknown-keyword", `unknown keyword "rediriger" in a rule`)
	if !strings.Contains(diags[1].Message, `hint: did you mean "reroute to"?`) {
		t.Errorf("the syntax error has no hint: %q", diags[1].Message)
	}

	// Formatting is refused while the document has errors.
	var edits []protocol.TextEdit
	err := c.Call("textDocument/formatting", map[string]any{"textDocument": map[string]any{"uri": uri},
		"options": map[string]any{"tabSize": 4, "insertSpaces": true}}, &edits)
	if err == nil || !strings.Contains(err.Error(), "not formatted: the policy has an error; fix it first") {
		t.Errorf("formatting a document with errors: want a refusal, got edits %+v, error %v", edits, err)
	}

	// Hover on "copy" of "copy to", and on "to" of the same phrase.
	hover := func(line, char int) (string, protocol.Range) {
		t.Helper()
		var h struct {
			Contents protocol.MarkupContent `json:"contents"`
			Range    protocol.Range         `json:"range"`
		}
		c.MustCall("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": pos(line, char)}, &h)
		return h.Contents.Value, h.Range
	}
	doc, r := hover(2, 25)
	if !strings.Contains(doc, "copy to STRING") || !strings.Contains(doc, "redirect :copy") || r != rng(2, 24, 2, 28) {
		t.Errorf("hover on copy: got %q at %+v", doc, r)
	}
	if doc, r := hover(2, 29); !strings.Contains(doc, "copy to STRING") || r != rng(2, 24, 2, 31) {
		t.Errorf("hover on to of copy to: got %q at %+v", doc, r)
	}
	if doc, _ := hover(5, 10); !strings.Contains(doc, "size COMPARISON SIZE") {
		t.Errorf("hover on size: got %q", doc)
	}

	// Completion of keywords and of a trusted domain, in a second document.
	typing := FileURI(filepath.Join(dir, "typing.rules"))
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": typing, "languageId": "tamis", "version": 1, "text": policyTyping,
	}})
	c.Diagnostics(typing, 1)
	complete := func(line, char int) ([]completionItem, bool) {
		t.Helper()
		var list struct {
			IsIncomplete bool             `json:"isIncomplete"`
			Items        []completionItem `json:"items"`
		}
		c.MustCall("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": typing}, "position": pos(line, char)}, &list)
		return list.Items, list.IsIncomplete
	}
	items, _ := complete(1, 2)
	wantItems(t, "top level", items, []string{"mailbox", "also", "timezone", "rule", "vacation"}, []string{"copy to", "when"})
	if it := find(items, "timezone"); it == nil || it.TextEdit.Range != rng(1, 0, 1, 2) || it.TextEdit.NewText != "timezone" {
		t.Errorf("completion of timezone: got %+v", it)
	}
	items, _ = complete(4, 6)
	wantItems(t, "in a rule", items, []string{"when", "copy to", "reroute to", "reject", "reply", "every"}, []string{"mailbox", "from", "until"})
	items, _ = complete(3, 22)
	wantItems(t, "after sender is", items, []string{"patient", "trusted", "untrusted"}, []string{"copy to"})
	items, incomplete := complete(5, 26)
	if it := find(items, "chu-nantes.mssante.fr"); it == nil || it.TextEdit.Range != rng(5, 19, 5, 26) || it.Detail != "in the published MSSanté trust list" {
		t.Errorf("completion of a trusted domain: got %+v in %d items", it, len(items))
	}
	for _, it := range items {
		if !strings.HasPrefix(it.Label, "chu-nan") {
			t.Errorf("completion of a domain offers %q, which does not begin with chu-nan", it.Label)
		}
	}
	if incomplete {
		t.Errorf("completion of chu-nan… marked incomplete with %d items", len(items))
	}

	// didChange: two incremental edits fix both problems.
	c.Notify("textDocument/didChange", map[string]any{
		"textDocument": map[string]any{"uri": uri, "version": 2},
		"contentChanges": []map[string]any{
			{"range": rng(6, 4, 6, 18), "text": "reroute to"},
			{"range": rng(2, 45, 2, 60), "text": "chu-nantes"},
		},
	})
	if diags := c.Diagnostics(uri, 2); len(diags) != 0 {
		t.Errorf("after didChange: want no diagnostics, got %+v", diags)
	}

	// Formatting the fixed document: one edit of the line that changes.
	edits = nil
	c.MustCall("textDocument/formatting", map[string]any{"textDocument": map[string]any{"uri": uri},
		"options": map[string]any{"tabSize": 4, "insertSpaces": true}}, &edits)
	fixed := strings.NewReplacer("rediriger vers", "reroute to", "hopital-inconnu", "chu-nantes").Replace(policyWithProblems)
	if len(edits) != 1 || edits[0].Range != rng(2, 0, 3, 0) || ApplyEdits(fixed, edits) != policyFixed {
		t.Errorf("formatting: got %+v\nwant one edit of line 3 giving:\n%s", edits, policyFixed)
	}

	// didClose clears the diagnostics of the document.
	c.Notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": typing}})
	if diags := c.Diagnostics(typing, -1); len(diags) != 0 {
		t.Errorf("after didClose: want no diagnostics, got %+v", diags)
	}

	// shutdown, exit.
	var result json.RawMessage
	c.MustCall("shutdown", nil, &result)
	if string(result) != "null" {
		t.Errorf("shutdown: want null, got %s", result)
	}
	c.Notify("exit", nil)
}

type completionItem struct {
	Label    string            `json:"label"`
	Detail   string            `json:"detail"`
	TextEdit protocol.TextEdit `json:"textEdit"`
}

func find(items []completionItem, label string) *completionItem {
	for i := range items {
		if items[i].Label == label {
			return &items[i]
		}
	}
	return nil
}

func wantItems(t *testing.T, where string, items []completionItem, want, notWant []string) {
	t.Helper()
	for _, w := range want {
		if find(items, w) == nil {
			t.Errorf("completion %s: %q missing", where, w)
		}
	}
	for _, w := range notWant {
		if find(items, w) != nil {
			t.Errorf("completion %s: %q offered", where, w)
		}
	}
}

func wantDiagnostic(t *testing.T, d Diagnostic, r protocol.Range, code, message string) {
	t.Helper()
	if d.Range != r || d.Code != code || !strings.HasPrefix(d.Message, message) || d.Severity != 1 || d.Source != "tamis" {
		t.Errorf("diagnostic: got %s at %+v: %q\nwant %s at %+v: %q…", d.Code, d.Range, d.Message, code, r, message)
	}
}

// ApplyEdits applies non-overlapping edits, positioned in UTF-16 code units,
// to text, as an editor does.
func ApplyEdits(text string, edits []protocol.TextEdit) string {
	offset := func(p protocol.Position) int {
		off := 0
		for line := 0; line < int(p.Line); line++ {
			i := strings.IndexByte(text[off:], '\n')
			if i < 0 {
				return len(text)
			}
			off += i + 1
		}
		units := 0
		for i, r := range text[off:] {
			if units >= int(p.Character) || r == '\n' {
				return off + i
			}
			units += len(utf16.Encode([]rune{r}))
		}
		return len(text)
	}
	edits = slices.Clone(edits)
	slices.SortFunc(edits, func(a, b protocol.TextEdit) int { return offset(b.Range.Start) - offset(a.Range.Start) })
	for _, e := range edits { // from the last, so that the offsets hold
		text = text[:offset(e.Range.Start)] + e.NewText + text[offset(e.Range.End):]
	}
	return text
}
