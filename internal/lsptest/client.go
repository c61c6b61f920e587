package lsptest

import (
	"context"
	"encoding/json"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/sourcegraph/jsonrpc2"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// wait bounds how long the client waits for a notification: long enough
// for a loaded machine, short enough for a hung server to fail the test.
const wait = 30 * time.Second

// Notification is a notification the server sent.
type Notification struct {
	Method string
	Params json.RawMessage
}

// Client is the editor's side of a connection.
type Client struct {
	t    testing.TB
	conn *jsonrpc2.Conn

	mu    sync.Mutex
	notes []Notification
	more  chan struct{} // signalled when a notification arrives
}

// rwc joins the server's output (read) and input (write).
type rwc struct {
	io.Reader
	io.WriteCloser
}

// New connects to a server that reads serverIn and writes serverOut.
// Closing the client closes serverIn.
func New(t testing.TB, serverOut io.Reader, serverIn io.WriteCloser) *Client {
	c := &Client{t: t, more: make(chan struct{}, 1)}
	stream := jsonrpc2.NewBufferedStream(rwc{serverOut, serverIn}, jsonrpc2.VSCodeObjectCodec{})
	c.conn = jsonrpc2.NewConn(context.Background(), stream, jsonrpc2.HandlerWithError(c.handle))
	t.Cleanup(func() { _ = c.conn.Close() })
	return c
}

func (c *Client) handle(_ context.Context, _ *jsonrpc2.Conn, req *jsonrpc2.Request) (any, error) {
	if !req.Notif {
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeMethodNotFound, Message: "the test client answers no request"}
	}
	n := Notification{Method: req.Method}
	if req.Params != nil {
		n.Params = append(json.RawMessage(nil), *req.Params...)
	}
	c.mu.Lock()
	c.notes = append(c.notes, n)
	c.mu.Unlock()
	select {
	case c.more <- struct{}{}:
	default:
	}
	return nil, nil
}

// Call sends a request and decodes its result into result. It returns the
// server's error response, if any.
func (c *Client) Call(method string, params, result any) error {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	return c.conn.Call(ctx, method, params, result)
}

// MustCall is Call that fails the test on an error response.
func (c *Client) MustCall(method string, params, result any) {
	c.t.Helper()
	if err := c.Call(method, params, result); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

// Notify sends a notification.
func (c *Client) Notify(method string, params any) {
	c.t.Helper()
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		c.t.Fatalf("notify %s: %v", method, err)
	}
}

// Next returns the first notification not yet taken whose method is
// method and for which match (nil: any) holds, waiting for it; the
// notifications before it are kept for other calls.
func (c *Client) Next(method string, match func(json.RawMessage) bool) json.RawMessage {
	c.t.Helper()
	deadline := time.After(wait)
	for {
		c.mu.Lock()
		for i, n := range c.notes {
			if n.Method == method && (match == nil || match(n.Params)) {
				c.notes = append(c.notes[:i:i], c.notes[i+1:]...)
				c.mu.Unlock()
				return n.Params
			}
		}
		c.mu.Unlock()
		select {
		case <-c.more:
		case <-deadline:
			c.t.Fatalf("no %s notification from the server within %s", method, wait)
		}
	}
}

// Diagnostic is a diagnostic as the server sent it. (glsp's own type
// cannot decode its code: its UnmarshalJSON has a value receiver.)
type Diagnostic struct {
	Range    protocol.Range `json:"range"`
	Severity int            `json:"severity"`
	Code     string         `json:"code"`
	Source   string         `json:"source"`
	Message  string         `json:"message"`
	// RelatedInformation are the diagnostic's related positions.
	RelatedInformation []protocol.DiagnosticRelatedInformation `json:"relatedInformation"`
}

// Diagnostics waits for the diagnostics of the version of uri; version -1
// means diagnostics sent without a version (those of a closed document).
func (c *Client) Diagnostics(uri protocol.DocumentUri, version int) []Diagnostic {
	c.t.Helper()
	var out struct {
		Diagnostics []Diagnostic `json:"diagnostics"`
	}
	raw := c.Next(string(protocol.ServerTextDocumentPublishDiagnostics), func(p json.RawMessage) bool {
		var d struct {
			URI     protocol.DocumentUri `json:"uri"`
			Version *int                 `json:"version"`
		}
		if json.Unmarshal(p, &d) != nil || d.URI != uri {
			return false
		}
		if d.Version == nil {
			return version == -1
		}
		return *d.Version == version
	})
	if err := json.Unmarshal(raw, &out); err != nil {
		c.t.Fatal(err)
	}
	if out.Diagnostics == nil {
		c.t.Errorf("publishDiagnostics for %s: diagnostics is not an array: %s", uri, raw)
	}
	return out.Diagnostics
}

// Close ends the connection.
func (c *Client) Close() error { return c.conn.Close() }
