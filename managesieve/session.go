package managesieve

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-sasl"

	"github.com/tamis-mss/tamis/accounts"
	"github.com/tamis-mss/tamis/sieve"
	"github.com/tamis-mss/tamis/store"
)

// session is one client connection.
type session struct {
	srv    *Server
	raw    net.Conn // the accepted connection, closed to end the session from outside
	conn   net.Conn // raw, or the TLS connection over it after STARTTLS
	client string   // the client's IP address, for the throttle and the log
	r      *reader
	w      *bufio.Writer
	isTLS  bool

	account *accounts.Account // nil before authentication
	mailbox string
	role    accounts.Role // the account's role on mailbox

	// mu is held while a command runs and while anything is written, so
	// that a shutdown waits for the command in progress.
	mu       sync.Mutex
	stopping atomic.Bool
	ended    bool // the shutdown BYE was said and the connection closed; guarded by mu
}

func newSession(srv *Server, conn net.Conn) *session {
	s := &session{srv: srv, raw: conn, conn: conn}
	s.client = conn.RemoteAddr().String()
	if host, _, err := net.SplitHostPort(s.client); err == nil {
		s.client = host
	}
	_, s.isTLS = conn.(*tls.Conn)
	s.setConn(conn)
	return s
}

// setConn (re)builds the reader and writer, at start and after STARTTLS.
func (s *session) setConn(conn net.Conn) {
	s.conn = conn
	cfg := s.srv.cfg
	s.r = &reader{
		br:         bufio.NewReaderSize(conn, 16<<10),
		maxLine:    cfg.MaxLineBytes,
		maxLiteral: cfg.MaxScriptSize,
		maxDiscard: 4 * cfg.MaxScriptSize,
		onLiteral: func(n int64) {
			// A literal gets the command timeout plus time for its size at
			// a slow 64 KiB/s.
			_ = conn.SetReadDeadline(time.Now().Add(cfg.CommandTimeout + time.Duration(n>>16)*time.Second))
		},
	}
	s.w = bufio.NewWriterSize(conn, 16<<10)
}

// stop ends the session for a shutdown: at once when it waits for a
// command, after the command in progress (or the greeting) otherwise. A
// graceful stop never cuts a command short: it waits for the session's lock
// in the background, so that a command finishing just as the shutdown starts
// still gets its BYE.
func (s *session) stop(graceful bool) {
	s.stopping.Store(true)
	if s.mu.TryLock() {
		// Waiting for a command: say goodbye now.
		s.sayBye()
		s.mu.Unlock()
		return
	}
	if !graceful {
		s.raw.Close()
		return
	}
	go func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.sayBye()
	}()
}

// sayBye says the shutdown BYE and closes the connection, once. It runs
// with s.mu held.
func (s *session) sayBye() {
	if s.ended {
		return
	}
	s.ended = true
	s.bye("", "Server shutting down")
	s.conn.Close()
}

func (s *session) log() *slog.Logger {
	l := s.srv.log.With("client", s.client)
	if s.account != nil {
		l = l.With("login", s.account.Login, "author", s.account.Login, "role", string(s.role), "mailbox", s.mailbox)
	}
	return l
}

func (s *session) run(ctx context.Context) {
	s.mu.Lock()
	s.capabilities()
	s.ok("", "tamis ManageSieve ready")
	s.mu.Unlock()
	for {
		_ = s.conn.SetReadDeadline(time.Now().Add(s.srv.cfg.IdleTimeout))
		cmd, err := s.r.readCommand()
		s.mu.Lock()
		if s.stopping.Load() {
			s.mu.Unlock()
			return
		}
		if err != nil {
			var pe *protoError
			switch {
			case errors.As(err, &pe) && !pe.fatal:
				s.no("", pe.msg)
				s.mu.Unlock()
				continue
			case errors.As(err, &pe):
				s.bye("", pe.msg)
			case isTimeout(err):
				s.bye("", "Idle or command timeout")
			}
			s.mu.Unlock()
			if err != io.EOF && !isTimeout(err) && (pe == nil) {
				s.log().Debug("connection ended", "err", err)
			}
			return
		}
		end := s.handle(ctx, cmd)
		stopping := s.stopping.Load()
		if stopping && !end {
			s.sayBye()
		}
		s.mu.Unlock()
		if end || stopping {
			return
		}
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// handle runs one command and reports whether the connection must end. It
// runs with s.mu held, so that a shutdown waits for it.
func (s *session) handle(ctx context.Context, cmd command) (end bool) {
	switch cmd.name {
	case "CAPABILITY":
		if s.nargs(cmd, 0, 0) {
			s.capabilities()
			s.ok("", "")
		}
		return false
	case "LOGOUT":
		s.ok("", "Logout completed")
		return true
	case "NOOP":
		if s.nargs(cmd, 0, 1) {
			if len(cmd.args) == 1 {
				s.ok("TAG "+quote(cmd.args[0].s), "Done")
			} else {
				s.ok("", "Done")
			}
		}
		return false
	case "STARTTLS":
		return s.startTLS(ctx, cmd)
	case "AUTHENTICATE":
		return s.authenticate(ctx, cmd)
	}
	switch cmd.name {
	case "LISTSCRIPTS", "PUTSCRIPT", "CHECKSCRIPT", "GETSCRIPT", "SETACTIVE", "DELETESCRIPT",
		"RENAMESCRIPT", "HAVESPACE", "UNAUTHENTICATE":
		if s.account == nil {
			s.no("", "Authenticate first")
			return false
		}
	default:
		s.no("", fmt.Sprintf("Unknown command %s", clip(cmd.name, 32)))
		return false
	}
	if !s.permitted(cmd) {
		return false
	}
	switch cmd.name {
	case "UNAUTHENTICATE":
		if s.nargs(cmd, 0, 0) {
			s.log().Info("logout", "event", "unauthenticate")
			s.account, s.mailbox, s.role = nil, "", ""
			s.ok("", "")
		}
	case "LISTSCRIPTS":
		if s.nargs(cmd, 0, 0) {
			s.listScripts(ctx)
		}
	case "GETSCRIPT":
		if s.nargs(cmd, 1, 1) {
			s.getScript(ctx, cmd.args[0])
		}
	case "PUTSCRIPT":
		if s.nargs(cmd, 2, 2) {
			s.putScript(ctx, cmd.args[0], cmd.args[1])
		}
	case "CHECKSCRIPT":
		if s.nargs(cmd, 1, 1) {
			s.checkScript(cmd.args[0])
		}
	case "SETACTIVE":
		if s.nargs(cmd, 1, 1) {
			s.setActive(ctx, cmd.args[0])
		}
	case "DELETESCRIPT":
		if s.nargs(cmd, 1, 1) {
			s.deleteScript(ctx, cmd.args[0])
		}
	case "RENAMESCRIPT":
		if s.nargs(cmd, 2, 2) {
			s.renameScript(ctx, cmd.args[0], cmd.args[1])
		}
	case "HAVESPACE":
		if s.nargs(cmd, 2, 2) {
			s.haveSpace(ctx, cmd.args[0], cmd.args[1])
		}
	}
	return false
}

// nargs checks the number of arguments, and that they are strings except
// HAVESPACE's size.
func (s *session) nargs(cmd command, lo, hi int) bool {
	if len(cmd.args) < lo || len(cmd.args) > hi {
		want := strconv.Itoa(lo)
		if hi != lo {
			want = fmt.Sprintf("%d to %d", lo, hi)
		}
		s.no("", fmt.Sprintf("%s takes %s argument(s), got %d", cmd.name, want, len(cmd.args)))
		return false
	}
	for i, a := range cmd.args {
		if cmd.name == "HAVESPACE" && i == 1 {
			continue
		}
		if a.kind != argString {
			s.no("", fmt.Sprintf("%s: argument %d must be a quoted string or a literal", cmd.name, i+1))
			return false
		}
	}
	return true
}

// plaintextOK reports whether a password may be sent on this connection.
func (s *session) plaintextOK() bool {
	return s.isTLS || s.srv.cfg.AllowPlaintextAuth
}

func (s *session) capabilities() {
	cfg := s.srv.cfg
	s.line(quote("IMPLEMENTATION") + " " + quote(cfg.Implementation))
	mechs := ""
	if s.plaintextOK() {
		mechs = "PLAIN"
	}
	s.line(quote("SASL") + " " + quote(mechs))
	s.line(quote("SIEVE") + " " + quote(strings.Join(sieve.Extensions(), " ")))
	if s.srv.opts.TLS != nil && !s.isTLS {
		s.line(quote("STARTTLS"))
	}
	s.line(quote("MAXREDIRECTS") + " " + quote(strconv.Itoa(s.srv.maxRedirects())))
	if s.account != nil {
		s.line(quote("OWNER") + " " + quote(s.account.Login))
	}
	s.line(quote("UNAUTHENTICATE"))
	s.line(quote("VERSION") + " " + quote("1.0"))
}

func (s *session) startTLS(ctx context.Context, cmd command) bool {
	switch {
	case !s.nargs(cmd, 0, 0):
		return false
	case s.srv.opts.TLS == nil:
		s.no("", "TLS is not configured on this server")
		return false
	case s.isTLS:
		s.no("", "TLS is already active")
		return false
	case s.r.br.Buffered() > 0:
		// Commands sent before the handshake could be injected by a man in
		// the middle: refuse to go on.
		s.bye("", "Data after STARTTLS before the TLS handshake")
		return true
	}
	s.ok("", "Begin TLS negotiation now")
	tc := tls.Server(s.conn, s.srv.opts.TLS)
	hctx, cancel := context.WithTimeout(ctx, s.srv.cfg.CommandTimeout)
	defer cancel()
	if err := tc.HandshakeContext(hctx); err != nil {
		s.log().Info("TLS handshake failed", "event", "starttls", "err", err)
		return true
	}
	s.setConn(tc)
	s.isTLS = true
	s.capabilities()
	s.ok("", "TLS negotiation successful")
	return false
}

func (s *session) authenticate(ctx context.Context, cmd command) bool {
	if s.account != nil {
		s.no("", "Already authenticated")
		return false
	}
	if len(cmd.args) < 1 || len(cmd.args) > 2 || cmd.args[0].kind != argString || len(cmd.args) == 2 && cmd.args[1].kind != argString {
		s.no("", `Usage: AUTHENTICATE "PLAIN" ["initial response"]`)
		return false
	}
	if !strings.EqualFold(cmd.args[0].s, sasl.Plain) {
		s.no("", fmt.Sprintf("Unsupported SASL mechanism %s (only PLAIN)", clip(cmd.args[0].s, 32)))
		return false
	}
	if !s.plaintextOK() {
		s.no("ENCRYPT-NEEDED", "Use STARTTLS (or the TLS port) before sending a password")
		return false
	}
	var login, authz, password string
	srv := sasl.NewPlainServer(func(identity, username, pw string) error {
		authz, login, password = identity, username, pw
		return nil
	})
	var resp []byte
	if len(cmd.args) == 2 {
		b, err := base64.StdEncoding.DecodeString(cmd.args[1].s)
		if err != nil {
			s.no("", "Invalid base64 in the initial response")
			return false
		}
		resp = b
		if resp == nil {
			resp = []byte{}
		}
	}
	for {
		challenge, done, err := srv.Next(resp)
		if err != nil {
			s.authFailed(login, "malformed PLAIN response")
			return false
		}
		if done {
			break
		}
		s.line(quote(base64.StdEncoding.EncodeToString(challenge)))
		s.flush()
		_ = s.conn.SetReadDeadline(time.Now().Add(s.srv.cfg.CommandTimeout))
		s.r.n = 0 // a new line
		args, err := s.r.readArgs()
		if err != nil {
			var pe *protoError
			if errors.As(err, &pe) && !pe.fatal {
				s.no("", pe.msg)
				return false
			}
			return true
		}
		if len(args) != 1 {
			s.no("", "Expected one SASL response string")
			return false
		}
		if args[0].kind == argAtom && args[0].s == "*" {
			s.no("", "Authentication aborted")
			return false
		}
		if resp, err = base64.StdEncoding.DecodeString(args[0].s); err != nil {
			s.no("", "Invalid base64 in the SASL response")
			return false
		}
	}

	th := s.srv.opts.Throttle
	if d := th.Delay(s.client, login); d > 0 {
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return true
		}
	}
	acc, err := s.srv.opts.Authenticator.Authenticate(ctx, login, password)
	if err != nil {
		if !errors.Is(err, accounts.ErrBadCredentials) {
			s.log().Error("authenticator failed", "event", "login", "user", login, "err", err)
			s.no("TRYLATER", "Authentication is unavailable, try again later")
			return false
		}
		th.Failed(s.client, login)
		s.authFailed(login, "bad credentials")
		return false
	}
	grant, ok := acc.Mailbox(authz)
	if !ok && authz == login {
		grant, ok = acc.Mailbox("")
	}
	if !ok {
		th.Failed(s.client, login)
		s.authFailed(login, fmt.Sprintf("not authorised for %q", authz))
		return false
	}
	th.Succeeded(s.client, login)
	s.account, s.mailbox, s.role = &acc, grant.Mailbox, grant.Role
	s.log().Info("login", "event", "login", "role", string(grant.Role), "answer", "OK")
	s.ok("", "Logged in")
	return false
}

func (s *session) authFailed(login, why string) {
	s.log().Warn("login failed", "event", "login", "user", login, "reason", why, "answer", "NO")
	s.no("", "Authentication failed")
}

// scriptName parses a script name argument, answering NO when it is bad.
func (s *session) scriptName(a arg) (store.ScriptName, bool) {
	n, err := store.ParseScriptName(a.s)
	if err != nil {
		s.no("", "Bad script name: "+strings.TrimPrefix(err.Error(), store.ErrScriptName.Error()+" "))
		return store.ScriptName{}, false
	}
	return n, true
}

// storeFailed answers a store error with the matching response code.
func (s *session) storeFailed(event string, name store.ScriptName, err error) {
	code, msg := "", "Internal error"
	switch {
	case errors.Is(err, store.ErrNoScript):
		code, msg = "NONEXISTENT", fmt.Sprintf("There is no script named %q", name.String())
	case errors.Is(err, store.ErrExists):
		code, msg = "ALREADYEXISTS", "A script of that name already exists"
	case errors.Is(err, store.ErrActive):
		code, msg = "ACTIVE", "You may not delete the active script: deactivate it first"
	case errors.Is(err, store.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		code, msg = "TRYLATER", "The policy store is unavailable, try again later"
	}
	if code == "" || code == "TRYLATER" {
		s.log().Error("store failed", "event", event, "script", name.String(), "err", err)
	}
	s.log().Info(event, "event", event, "script", name.String(), "answer", "NO", "code", code)
	s.no(code, msg)
}

func (s *session) listScripts(ctx context.Context) {
	infos, err := s.srv.opts.Store.Scripts(ctx, s.mailbox)
	if err != nil {
		s.storeFailed("listscripts", store.ScriptName{}, err)
		return
	}
	for _, in := range infos {
		if in.Active {
			s.line(quote(in.Name.String()) + " ACTIVE")
		} else {
			s.line(quote(in.Name.String()))
		}
	}
	s.ok("", "")
}

func (s *session) getScript(ctx context.Context, a arg) {
	name, ok := s.scriptName(a)
	if !ok {
		return
	}
	sc, err := s.srv.opts.Store.Script(ctx, s.mailbox, name)
	if err != nil {
		s.storeFailed("getscript", name, err)
		return
	}
	fmt.Fprintf(s.w, "{%d}\r\n", len(sc.Sieve))
	s.w.Write(sc.Sieve)
	s.w.WriteString("\r\n")
	s.ok("", "")
}

func (s *session) setActive(ctx context.Context, a arg) {
	var name store.ScriptName
	if a.s != "" {
		var ok bool
		if name, ok = s.scriptName(a); !ok {
			return
		}
	}
	if err := s.srv.opts.Store.SetActive(ctx, s.mailbox, name); err != nil {
		s.storeFailed("setactive", name, err)
		return
	}
	s.log().Info("setactive", "event", "setactive", "script", name.String(), "answer", "OK")
	s.ok("", "")
}

func (s *session) deleteScript(ctx context.Context, a arg) {
	name, ok := s.scriptName(a)
	if !ok {
		return
	}
	if err := s.srv.opts.Store.DeleteScript(ctx, s.mailbox, name); err != nil {
		s.storeFailed("deletescript", name, err)
		return
	}
	s.log().Info("deletescript", "event", "deletescript", "script", name.String(), "answer", "OK")
	s.ok("", "")
}

func (s *session) renameScript(ctx context.Context, from, to arg) {
	f, ok := s.scriptName(from)
	if !ok {
		return
	}
	t, ok := s.scriptName(to)
	if !ok {
		return
	}
	if err := s.srv.opts.Store.RenameScript(ctx, s.mailbox, f, t); err != nil {
		s.storeFailed("renamescript", f, err)
		return
	}
	s.log().Info("renamescript", "event", "renamescript", "script", f.String(), "to", t.String(), "answer", "OK")
	s.ok("", "")
}

// space answers whether a script of size bytes may be stored under name:
// the quota response code and message when it may not.
func (s *session) space(ctx context.Context, name store.ScriptName, size int64) (code, msg string, err error) {
	cfg := s.srv.cfg
	if size > cfg.MaxScriptSize {
		return "QUOTA/MAXSIZE", fmt.Sprintf("The script is %d bytes; at most %d are allowed", size, cfg.MaxScriptSize), nil
	}
	infos, err := s.srv.opts.Store.Scripts(ctx, s.mailbox)
	if err != nil {
		return "", "", err
	}
	for _, in := range infos {
		if in.Name == name {
			return "", "", nil // a replacement does not add a script
		}
	}
	if len(infos) >= cfg.MaxScripts {
		return "QUOTA/MAXSCRIPTS", fmt.Sprintf("You have %d scripts, the most allowed: delete one first", len(infos)), nil
	}
	return "", "", nil
}

func (s *session) haveSpace(ctx context.Context, nameArg, sizeArg arg) {
	name, ok := s.scriptName(nameArg)
	if !ok {
		return
	}
	size, err := strconv.ParseInt(sizeArg.s, 10, 64)
	if sizeArg.kind != argNumber || err != nil || size < 0 {
		s.no("", "HAVESPACE: the size must be a number")
		return
	}
	code, msg, err := s.space(ctx, name, size)
	switch {
	case err != nil:
		s.storeFailed("havespace", name, err)
	case code != "":
		s.no(code, msg)
	default:
		s.ok("", "")
	}
}

func (s *session) putScript(ctx context.Context, nameArg, script arg) {
	name, ok := s.scriptName(nameArg)
	if !ok {
		return
	}
	size := int64(len(script.s))
	if script.tooBig {
		size = script.size
	}
	code, msg, err := s.space(ctx, name, size)
	if err != nil {
		s.storeFailed("putscript", name, err)
		return
	}
	if code != "" {
		s.log().Info("putscript", "event", "putscript", "script", name.String(), "size", size, "answer", "NO", "code", code)
		s.no(code, msg)
		return
	}
	chk := s.srv.check(s.mailbox, name.String(), []byte(script.s))
	if len(chk.errors) > 0 {
		s.log().Info("putscript", "event", "putscript", "script", name.String(), "size", size, "answer", "NO",
			"reason", chk.codes())
		s.no("", chk.message(chk.errors))
		return
	}
	err = s.srv.opts.Store.PutScript(ctx, s.mailbox, store.Script{Name: name, Sieve: []byte(script.s), Policy: chk.policy, Author: s.account.Login})
	if err != nil {
		s.storeFailed("putscript", name, err)
		return
	}
	s.log().Info("putscript", "event", "putscript", "script", name.String(), "size", size, "answer", "OK", "warnings", len(chk.warnings))
	if len(chk.warnings) > 0 {
		s.ok("WARNINGS", chk.message(chk.warnings))
		return
	}
	s.ok("", "")
}

func (s *session) checkScript(script arg) {
	if script.tooBig || int64(len(script.s)) > s.srv.cfg.MaxScriptSize {
		s.no("QUOTA/MAXSIZE", fmt.Sprintf("The script is larger than %d bytes", s.srv.cfg.MaxScriptSize))
		return
	}
	chk := s.srv.check(s.mailbox, "script", []byte(script.s))
	switch {
	case len(chk.errors) > 0:
		s.no("", chk.message(chk.errors))
	case len(chk.warnings) > 0:
		s.ok("WARNINGS", chk.message(chk.warnings))
	default:
		s.ok("", "")
	}
}

// Responses. Every writer below runs with s.mu held.

func (s *session) line(l string) {
	s.w.WriteString(l)
	s.w.WriteString("\r\n")
}

// maxMessage bounds the text of an answer, so that it stays a quoted string
// (some clients read no literal in a NO answer).
const maxMessage = maxQuoted - 24

func (s *session) respond(kind, code, msg string) {
	if len(msg) > maxMessage {
		cut := maxMessage - len("…")
		for cut > 0 && !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg = msg[:cut] + "…"
	}
	var b strings.Builder
	b.WriteString(kind)
	if code != "" {
		b.WriteString(" (" + code + ")")
	}
	if msg != "" {
		b.WriteString(" " + quote(msg))
	}
	s.line(b.String())
	s.flush()
}

func (s *session) flush() {
	_ = s.conn.SetWriteDeadline(time.Now().Add(s.srv.cfg.CommandTimeout))
	_ = s.w.Flush()
}

func (s *session) ok(code, msg string)  { s.respond("OK", code, msg) }
func (s *session) no(code, msg string)  { s.respond("NO", code, msg) }
func (s *session) bye(code, msg string) { s.respond("BYE", code, msg) }

// quote writes s as a quoted string, or as a literal when it holds
// characters a quoted string cannot (CR, LF, NUL) or is too long.
func quote(s string) string {
	if len(s) > maxQuoted || strings.ContainsAny(s, "\r\n\x00") {
		return fmt.Sprintf("{%d}\r\n%s", len(s), s)
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

// clip shortens s for an error message.
func clip(s string, n int) string {
	if len(s) > n {
		s = s[:n] + "…"
	}
	return strings.ToValidUTF8(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s), "?")
}
