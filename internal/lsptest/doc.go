// Package lsptest is a Language Server Protocol client for the tests of
// "tamis lsp": it speaks to a server over a pair of streams through the
// same JSON-RPC transport as the server (github.com/sourcegraph/jsonrpc2),
// collects the server's notifications, and runs the exchange an editor
// has with the server, asserting each answer.
package lsptest
