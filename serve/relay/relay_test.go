package relay

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/tamis-mss/tamis/mssante"
)

// listOf builds a trust list of domains.
func listOf(t *testing.T, domains ...string) *mssante.List {
	t.Helper()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><ListeBlancheMSSante xmlns="https://listeblanche.mssante.fr/schema"><DateDeGeneration>2025-03-13T14:54:10Z</DateDeGeneration><ListeDomaines>`)
	for _, d := range domains {
		b.WriteString("<Domaine><Nom>" + d + "</Nom><DateMAJ>2025-03-13T14:54:10Z</DateMAJ></Domaine>")
	}
	b.WriteString("</ListeDomaines></ListeBlancheMSSante>")
	l, err := mssante.ParseList(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// received is one transaction accepted by the sink.
type received struct {
	from string
	to   []string
	data string
}

// sink is an in-process SMTP server that records what it accepts, or
// answers every RCPT with fail when set.
type sink struct {
	mu   sync.Mutex
	got  []received
	fail *smtp.SMTPError
}

type sinkSession struct {
	s   *sink
	cur received
}

func (s *sink) NewSession(*smtp.Conn) (smtp.Session, error) { return &sinkSession{s: s}, nil }
func (ss *sinkSession) Reset()                              { ss.cur = received{} }
func (ss *sinkSession) Logout() error                       { return nil }
func (ss *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	ss.cur.from = from
	return nil
}
func (ss *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.fail != nil {
		return ss.s.fail
	}
	ss.cur.to = append(ss.cur.to, to)
	return nil
}
func (ss *sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.cur.data = string(b)
	ss.s.mu.Lock()
	ss.s.got = append(ss.s.got, ss.cur)
	ss.s.mu.Unlock()
	return nil
}

func startSink(t *testing.T) (*sink, string) {
	t.Helper()
	s := &sink{}
	srv := smtp.NewServer(s)
	srv.Domain = "sink.test"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s, ln.Addr().String()
}

const (
	trusted = "chu-nantes.mssante.fr"
	other   = "esantepdl.mssante.fr"
	msg     = "From: dr.martin@medecin.mssante.fr\r\nSubject: test\r\n\r\n.hidden line\r\n..two dots\r\n.\r\nend\r\n"
)

func TestForward(t *testing.T) {
	s, addr := startSink(t)
	ts := mssante.NewTrustSpace(listOf(t, trusted, other, "medecin.mssante.fr"))
	r := New(Options{Address: addr, Trust: ts})
	target, err := ts.List().Authorize("secretariat@" + trusted)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Forward(context.Background(), "sender@"+other, target, []string{"dr.martin@medecin.mssante.fr"}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	if len(s.got) != 1 {
		t.Fatalf("the sink got %d messages; want 1", len(s.got))
	}
	g := s.got[0]
	if g.from != "sender@"+other || len(g.to) != 1 || g.to[0] != "secretariat@"+trusted {
		t.Errorf("envelope %q → %q", g.from, g.to)
	}
	if g.data != msg {
		t.Errorf("the sink got\n%q\nwant (dot-stuffing undone, bytes intact)\n%q", g.data, msg)
	}
}

func TestForwardRechecksTrust(t *testing.T) {
	s, addr := startSink(t)
	ts := mssante.NewTrustSpace(listOf(t, trusted, other))
	r := New(Options{Address: addr, Trust: ts})
	target, err := ts.List().Authorize("secretariat@" + trusted)
	if err != nil {
		t.Fatal(err)
	}
	// The list changes between evaluation and hand-off: the domain left.
	if err := ts.Replace(listOf(t, other)); err != nil {
		t.Fatal(err)
	}
	err = r.Forward(context.Background(), "", target, nil, []byte(msg))
	var re *RefusedError
	if !errors.As(err, &re) || re.Code() != "outside-trust-space" {
		t.Fatalf("err = %v; want a RefusedError outside-trust-space", err)
	}
	if IsTemporary(err) {
		t.Error("a trust refusal is temporary; want permanent (retrying changes nothing)")
	}
	if len(s.got) != 0 {
		t.Fatalf("the sink got %d messages after a refusal", len(s.got))
	}
}

func TestReplyNullSender(t *testing.T) {
	s, addr := startSink(t)
	ts := mssante.NewTrustSpace(listOf(t, trusted))
	r := New(Options{Address: addr, Trust: ts})
	if err := r.Reply(context.Background(), "someone@"+trusted, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	if len(s.got) != 1 || s.got[0].from != "" || s.got[0].to[0] != "someone@"+trusted {
		t.Fatalf("got %+v; want one message from <> to someone@%s", s.got, trusted)
	}
	err := r.Reply(context.Background(), "someone@outlook.fr", []byte(msg))
	var re *RefusedError
	if !errors.As(err, &re) {
		t.Fatalf("reply outside the trust space: err = %v; want a RefusedError", err)
	}
}

func TestErrorsTemporaryOrNot(t *testing.T) {
	ts := mssante.NewTrustSpace(listOf(t, trusted))
	target, err := ts.List().Authorize("secretariat@" + trusted)
	if err != nil {
		t.Fatal(err)
	}
	// Nothing listens: temporary.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := ln.Addr().String()
	ln.Close()
	r := New(Options{Address: down, Trust: ts, Timeout: 2 * time.Second})
	if err := r.Forward(context.Background(), "", target, nil, []byte(msg)); !IsTemporary(err) {
		t.Errorf("relay down: err = %v, temporary %v; want temporary", err, IsTemporary(err))
	}
	s, addr := startSink(t)
	r = New(Options{Address: addr, Trust: ts})
	s.fail = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}
	if err := r.Forward(context.Background(), "", target, nil, []byte(msg)); !IsTemporary(err) {
		t.Errorf("451: err = %v; want temporary", err)
	}
	s.fail = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	if err := r.Forward(context.Background(), "", target, nil, []byte(msg)); err == nil || IsTemporary(err) {
		t.Errorf("550: err = %v; want permanent", err)
	}
}
