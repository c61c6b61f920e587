package lsp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/sourcegraph/jsonrpc2"

	"github.com/tamis-mss/tamis/lsp"
)

// Example runs the server on pipes, as "tamis lsp" runs it on its standard
// input and output, and plays the editor: it opens a policy and prints the
// diagnostics the server publishes.
func Example() {
	ctx := context.Background()
	clientOut, serverIn := io.Pipe()
	serverOut, clientIn := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- lsp.New(lsp.Options{}).Serve(ctx, clientOut, clientIn) }()

	published := make(chan json.RawMessage, 1)
	editor := jsonrpc2.NewConn(ctx,
		jsonrpc2.NewBufferedStream(struct {
			io.Reader
			io.WriteCloser
		}{serverOut, serverIn}, jsonrpc2.VSCodeObjectCodec{}),
		jsonrpc2.HandlerWithError(func(_ context.Context, _ *jsonrpc2.Conn, req *jsonrpc2.Request) (any, error) {
			if req.Method == "textDocument/publishDiagnostics" {
				published <- *req.Params
			}
			return nil, nil
		}))

	_ = editor.Call(ctx, "initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}}, nil)
	_ = editor.Notify(ctx, "initialized", map[string]any{})
	_ = editor.Notify(ctx, "textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": "file:///policies/cabinet.rules", "languageId": "tamis", "version": 1,
		"text": "mailbox \"cabinet@medecin.mssante.fr\"\nrule \"Secrétariat\" {\n    copy to \"secretariat@gmail.com\"\n}\n",
	}})
	var params struct {
		Diagnostics []struct {
			Range struct {
				Start struct{ Line, Character int }
			}
			Code, Message string
		}
	}
	_ = json.Unmarshal(<-published, &params)
	for _, d := range params.Diagnostics {
		fmt.Printf("%d:%d [%s] %s\n", d.Range.Start.Line+1, d.Range.Start.Character+1, d.Code, d.Message)
	}
	_ = editor.Call(ctx, "shutdown", nil, nil)
	_ = editor.Notify(ctx, "exit", nil)
	fmt.Println("server ended:", <-done)
	// Output:
	// 3:13 [outside-trust-space] copy target "secretariat@gmail.com" is outside the MSSanté trust space: gmail.com is not in the built-in fallback list
	// hint: only addresses of domains in the MSSanté trust list may receive rerouted mail
	// server ended: <nil>
}
