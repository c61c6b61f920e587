package lsp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sourcegraph/jsonrpc2"
	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// ErrNoShutdown is returned by Serve when the client went away or asked to
// exit without a shutdown request first; "tamis lsp" then exits with
// status 1, as the protocol asks.
var ErrNoShutdown = errors.New("lsp: the client exited without a shutdown request")

// Serve answers the client on in and out (the standard input and output of
// "tamis lsp", or pipes in a test) until the client sends exit, in ends or
// ctx is done. The messages are framed as the protocol says
// (Content-Length headers, JSON-RPC 2.0) by github.com/sourcegraph/jsonrpc2,
// the transport of glsp. Requests are handled one at a time, in order.
func (s *Server) Serve(ctx context.Context, in io.Reader, out io.Writer) error {
	stream := jsonrpc2.NewBufferedStream(&pipe{in: in, out: out}, jsonrpc2.VSCodeObjectCodec{})
	conn := jsonrpc2.NewConn(ctx, stream, jsonrpc2.HandlerWithError(s.handle), jsonrpc2.SetLogger(rpcLogger{s}))
	select {
	case <-s.exit:
	case <-conn.DisconnectNotify():
	case <-ctx.Done():
	}
	_ = conn.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.shutdown {
		return ErrNoShutdown
	}
	return nil
}

// handle passes one message to the glsp handler and turns its answer into
// a JSON-RPC response, as glsp's own server does.
func (s *Server) handle(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) (any, error) {
	start := time.Now()
	defer func() { s.log.Debug("lsp message", "method", req.Method, "duration", time.Since(start)) }()
	if req.Method == string(protocol.MethodExit) {
		s.exitOnce.Do(func() { close(s.exit) })
		return nil, nil
	}
	gctx := &glsp.Context{
		Method: req.Method,
		Notify: func(method string, params any) {
			if err := conn.Notify(ctx, method, params); err != nil {
				s.log.Warn("lsp notify", "method", method, "err", err)
			}
		},
		Call: func(method string, params, result any) {
			if err := conn.Call(ctx, method, params, result); err != nil {
				s.log.Warn("lsp call", "method", method, "err", err)
			}
		},
	}
	if req.Params != nil {
		gctx.Params = *req.Params
	}
	result, validMethod, validParams, err := s.handler.Handle(gctx)
	switch {
	case !validMethod:
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeMethodNotFound, Message: "method not supported: " + req.Method}
	case !validParams:
		msg := "invalid parameters"
		if err != nil {
			msg += ": " + err.Error()
		}
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: msg}
	case err != nil:
		var rerr *jsonrpc2.Error
		if errors.As(err, &rerr) {
			return nil, rerr
		}
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidRequest, Message: err.Error()}
	}
	return result, nil
}

// pipe joins the two halves of the connection. Closing it closes those
// that can be closed, so that a read blocked on them returns.
type pipe struct {
	in  io.Reader
	out io.Writer
}

func (p *pipe) Read(b []byte) (int, error)  { return p.in.Read(b) }
func (p *pipe) Write(b []byte) (int, error) { return p.out.Write(b) }
func (p *pipe) Close() error {
	var errs []error
	if c, ok := p.in.(io.Closer); ok {
		errs = append(errs, c.Close())
	}
	if c, ok := p.out.(io.Closer); ok {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// rpcLogger sends the transport's messages to the server's logger.
type rpcLogger struct{ s *Server }

func (l rpcLogger) Printf(format string, v ...any) {
	l.s.log.Debug(strings.TrimSpace(fmt.Sprintf(format, v...)))
}
