package relay

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/tamis-mss/tamis/internal/smtpsink"
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

func startSink(t *testing.T) (*smtpsink.Sink, string) {
	s := smtpsink.Start(t)
	return s, s.Addr
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
	if len(s.Messages()) != 1 {
		t.Fatalf("the sink got %d messages; want 1", len(s.Messages()))
	}
	g := s.Messages()[0]
	if g.From != "sender@"+other || len(g.To) != 1 || g.To[0] != "secretariat@"+trusted {
		t.Errorf("envelope %q → %q", g.From, g.To)
	}
	if g.Data != msg {
		t.Errorf("the sink got\n%q\nwant (dot-stuffing undone, bytes intact)\n%q", g.Data, msg)
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
	if len(s.Messages()) != 0 {
		t.Fatalf("the sink got %d messages after a refusal", len(s.Messages()))
	}
}

func TestReplyNullSender(t *testing.T) {
	s, addr := startSink(t)
	ts := mssante.NewTrustSpace(listOf(t, trusted))
	r := New(Options{Address: addr, Trust: ts})
	if err := r.Reply(context.Background(), "someone@"+trusted, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	if len(s.Messages()) != 1 || s.Messages()[0].From != "" || s.Messages()[0].To[0] != "someone@"+trusted {
		t.Fatalf("got %+v; want one message from <> to someone@%s", s.Messages(), trusted)
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
	s.Fail(&smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"})
	if err := r.Forward(context.Background(), "", target, nil, []byte(msg)); !IsTemporary(err) {
		t.Errorf("451: err = %v; want temporary", err)
	}
	s.Fail(&smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"})
	if err := r.Forward(context.Background(), "", target, nil, []byte(msg)); err == nil || IsTemporary(err) {
		t.Errorf("550: err = %v; want permanent", err)
	}
}
