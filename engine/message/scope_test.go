package message

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// kindsOf lists the kinds of problems, in order.
func kindsOf(errs []error) []string {
	var out []string
	for _, e := range errs {
		var p *Problem
		if errors.As(e, &p) {
			out = append(out, p.Kind)
		}
	}
	return out
}

func TestProblemScopes(t *testing.T) {
	t.Run("a malformed Cc says nothing about From", func(t *testing.T) {
		m := parse(t, "From: Dr Martin <dr.martin@chu-nantes.mssante.fr>\r\nCc: bad@@x, \"Unclosed <a@b.fr\r\nSubject: =?x-klingon?Q?qapla?=\r\n\r\nBonjour\r\n", Options{})
		require.Len(t, m.Problems(), 2)
		require.Nil(t, m.HeaderProblems("From"))
		require.Nil(t, m.HeaderProblems("To"))
		require.Equal(t, []string{KindMalformedAddress}, kindsOf(m.HeaderProblems("CC")))
		require.Equal(t, []string{KindUnknownCharset}, kindsOf(m.HeaderProblems("subject")))
		require.Nil(t, m.BodyProblems())
		require.False(t, m.BodyTruncated())
		p := m.Problems()[0].(*Problem)
		require.Equal(t, ScopeField, p.Scope)
		require.Equal(t, "cc", p.Field)
	})
	t.Run("a header cut short concerns every field and the body", func(t *testing.T) {
		raw := "From: a@b.fr\r\nX-Pad: " + strings.Repeat("x", 300) + "\r\nTo: c@d.fr\r\n\r\nBonjour\r\n"
		m := parse(t, raw, Options{MaxHeaderBytes: 100})
		require.Equal(t, []string{KindHeaderTooLarge}, kindsOf(m.HeaderProblems("From")))
		require.Equal(t, []string{KindHeaderTooLarge}, kindsOf(m.BodyProblems()))
		require.Equal(t, ScopeMessage, m.Problems()[0].(*Problem).Scope)
	})
	t.Run("a bad part concerns the body only, with its number", func(t *testing.T) {
		raw := "From: a@b.fr\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nun\r\n--b\r\nContent-Type: text/plain; charset=x-klingon\r\n\r\ndeux\r\n--b--\r\n"
		m := parse(t, raw, Options{})
		require.Nil(t, m.HeaderProblems("From"))
		require.Nil(t, m.HeaderProblems("Content-Type"))
		require.Equal(t, []string{KindUnknownCharset}, kindsOf(m.BodyProblems()))
		p := m.Problems()[0].(*Problem)
		require.Equal(t, ScopeBody, p.Scope)
		require.Equal(t, 2, p.Part)
	})
	t.Run("a missing closing boundary belongs to the multipart, not its last part", func(t *testing.T) {
		raw := "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nun\r\n--b\r\n\r\ndeux\r\n"
		m := parse(t, raw, Options{})
		require.Equal(t, []string{KindTruncatedMIME}, kindsOf(m.BodyProblems()))
		require.Equal(t, 0, m.Problems()[0].(*Problem).Part)
	})
	t.Run("a malformed Content-Type concerns the body too", func(t *testing.T) {
		m := parse(t, "From: a@b.fr\r\nContent-Type: text/plain; charset=\"utf-8; x\r\n\r\nBonjour\r\n", Options{})
		require.Equal(t, []string{KindMalformedMediaType}, kindsOf(m.HeaderProblems("content-type")))
		require.Equal(t, []string{KindMalformedMediaType}, kindsOf(m.BodyProblems()))
		require.Nil(t, m.HeaderProblems("From"))
	})
	t.Run("a body cut at MaxBodyBytes", func(t *testing.T) {
		m := parse(t, "From: a@b.fr\r\n\r\n"+strings.Repeat("Bonjour\r\n", 100), Options{MaxBodyBytes: 50})
		require.True(t, m.BodyTruncated())
		require.Equal(t, []string{KindBodyTooLarge}, kindsOf(m.BodyProblems()))
		require.Nil(t, m.HeaderProblems("From"))
	})
	t.Run("too many problems concerns everything", func(t *testing.T) {
		var b strings.Builder
		for i := range maxProblems + 5 {
			fmt.Fprintf(&b, "Cc: bad%d@@x\r\n", i)
		}
		m := parse(t, b.String()+"From: a@b.fr\r\n\r\nx\r\n", Options{})
		require.Contains(t, kindsOf(m.HeaderProblems("From")), KindTooManyProblems)
		require.Contains(t, kindsOf(m.BodyProblems()), KindTooManyProblems)
	})
}

func TestScopedProblemsDoNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	m := parse(t, "From: a@b.fr\r\nCc: bad@@x\r\n\r\nBonjour\r\n", Options{})
	allocs := testing.AllocsPerRun(100, func() {
		_ = m.HeaderProblems("From")
		_ = m.BodyProblems()
		_ = m.BodyTruncated()
	})
	require.Zero(t, allocs)
}
