package lsptest

import (
	"encoding/json"
	"strings"
	"testing"

	protocol "github.com/tliron/glsp/protocol_3_16"
)

// Spoken is what a server said in one session, where its language shows:
// the fallback note, a diagnostic with its hint, the hover documentation
// of a keyword, and the detail and documentation of a completion item.
type Spoken struct {
	Log        string // the logMessage of the built-in fallback
	Diagnostic string // an unknown keyword's message and hint
	Code       string // its code, the same in every language
	Hover      string // the documentation of "copy" in "copy to"
	Detail     string // the detail of the completion of "reject"
	Doc        string // its documentation
}

// policyLanguage has an unknown keyword (line 2) and a "copy to" (line 3);
// line 4 is an empty line of a rule, for completion.
const policyLanguage = "rule \"r\" {\n    copie to \"x@medecin.mssante.fr\"\n    copy to \"y@medecin.mssante.fr\"\n    \n}\n"

// Speak runs a session with a server that has no trust list: initialize,
// with locale as the client's locale when it is not empty (as an LSP 3.16
// client sends its display language), a document with an error, hover,
// completion, shutdown and exit. It returns what the server said.
func Speak(t *testing.T, c *Client, locale string) Spoken {
	t.Helper()
	params := map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}}
	if locale != "" {
		params["locale"] = locale
	}
	c.MustCall("initialize", params, nil)
	c.Notify("initialized", map[string]any{})
	var out Spoken
	var log protocol.LogMessageParams
	if err := json.Unmarshal(c.Next(string(protocol.ServerWindowLogMessage), nil), &log); err != nil {
		t.Fatal(err)
	}
	out.Log = log.Message

	uri := protocol.DocumentUri("file:///policies/langue.rules")
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "tamis", "version": 1, "text": policyLanguage}})
	diags := c.Diagnostics(uri, 1)
	if len(diags) != 1 {
		t.Fatalf("want one diagnostic, got %+v", diags)
	}
	out.Diagnostic, out.Code = diags[0].Message, diags[0].Code

	var h struct {
		Contents protocol.MarkupContent `json:"contents"`
	}
	c.MustCall("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": pos(2, 5)}, &h)
	out.Hover = h.Contents.Value

	var list struct {
		Items []struct {
			Label         string                 `json:"label"`
			Detail        string                 `json:"detail"`
			Documentation protocol.MarkupContent `json:"documentation"`
		} `json:"items"`
	}
	c.MustCall("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": pos(3, 4)}, &list)
	for _, it := range list.Items {
		if it.Label == "reject" {
			out.Detail, out.Doc = it.Detail, it.Documentation.Value
		}
	}

	c.MustCall("shutdown", nil, nil)
	c.Notify("exit", nil)
	return out
}

// WantFrench fails unless the session was in French, codes and keywords
// left as they are.
func WantFrench(t *testing.T, s Spoken) {
	t.Helper()
	want(t, s, "French", Spoken{
		Log:        "aucune liste de confiance",
		Diagnostic: "mot-clé \"copie\" inconnu dans une règle\nconseil : vouliez-vous dire \"copy to\" ?",
		Code:       "unknown-keyword",
		Hover: "```tamis\ncopy to STRING\n```\n\n**copy to** (action)\n\nEnvoyer une copie du message à une autre adresse (`redirect :copy` de Sieve) ; " +
			"le message est aussi gardé.",
		Detail: "reject STRING (règles seulement)",
		Doc:    "**reject** (action), règles seulement\n\nRefuser le message, en renvoyant la raison à l'expéditeur",
	})
}

// WantEnglish fails unless the session was in English.
func WantEnglish(t *testing.T, s Spoken) {
	t.Helper()
	want(t, s, "English", Spoken{
		Log:        "no trust list configured",
		Diagnostic: "unknown keyword \"copie\" in a rule\nhint: did you mean \"copy to\"?",
		Code:       "unknown-keyword",
		Hover: "```tamis\ncopy to STRING\n```\n\n**copy to** (action)\n\nSend a copy of the message to another address (Sieve `redirect :copy`); " +
			"the message is kept too.",
		Detail: "reject STRING (rules only)",
		Doc:    "**reject** (action), rules only\n\nRefuse the message, sending the reason back to the sender",
	})
}

// want checks that each text of got holds the one of w (the diagnostic
// and the code are whole).
func want(t *testing.T, got Spoken, lang string, w Spoken) {
	t.Helper()
	for _, c := range []struct{ name, got, want string }{
		{"log message", got.Log, w.Log}, {"hover", got.Hover, w.Hover},
		{"completion detail", got.Detail, w.Detail}, {"completion documentation", got.Doc, w.Doc},
	} {
		if !strings.Contains(c.got, c.want) {
			t.Errorf("%s %s: got %q, want it to hold %q", lang, c.name, c.got, c.want)
		}
	}
	if got.Diagnostic != w.Diagnostic || got.Code != w.Code {
		t.Errorf("%s diagnostic: got %q [%s], want %q [%s]", lang, got.Diagnostic, got.Code, w.Diagnostic, w.Code)
	}
}
