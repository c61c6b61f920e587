package engine

import (
	"bytes"
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/engine/notice"
	"github.com/tamis-mss/tamis/rules"
)

func notifyAction(to string, text string, limit *rules.Period) *rules.Notify {
	n := &rules.Notify{Node: pos(), Target: lit(to), Limit: limit}
	if text != "" {
		l := lit(text)
		n.Text = &l
	}
	return n
}

// markedMessage is a message whose every part a person could read holds
// a unique marker: From display name and address, Subject, Message-ID,
// another header, the text body, an HTML part and an attachment's names.
func markedMessage(t testing.TB, tag string) *message.Message {
	raw := "From: \"Dr FROMNAME" + tag + "\" <fromaddr" + tag + "@chu-nantes.mssante.fr>\n" +
		"To: " + mailbox + "\n" +
		"Subject: =?utf-8?q?R=C3=A9sultats_SUBJECT" + tag + "?=\n" +
		"Message-ID: <MSGID" + tag + "@chu-nantes.mssante.fr>\n" +
		"X-MSS-INS: XHEADER" + tag + "\n" +
		"Date: Mon, 6 Jan 2025 10:00:00 +0100\n" +
		"MIME-Version: 1.0\n" +
		"Content-Type: multipart/mixed; boundary=\"b\"\n\n" +
		"--b\nContent-Type: text/plain; charset=utf-8\n\nBODY" + tag + " résultats du patient\n" +
		"--b\nContent-Type: text/html; charset=utf-8\n\n<p>HTML" + tag + "</p>\n" +
		"--b\nContent-Type: application/pdf; name=\"ATTNAME" + tag + ".pdf\"\n" +
		"Content-Disposition: attachment; filename=\"ATTFILE" + tag + ".pdf\"\n" +
		"Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--b--\n"
	return parseMsg(t, raw)
}

var markers = []string{"FROMNAME", "fromaddr", "SUBJECT", "MSGID", "XHEADER", "BODY", "HTML", "ATTNAME", "ATTFILE", "ENVFROM"}

// TestNoticeCarriesNoMessageData feeds messages whose sender, subject,
// body, headers, attachment names and envelope sender hold unique markers,
// and checks that none reaches the notice: not in its bytes, not decoded.
func TestNoticeCarriesNoMessageData(t *testing.T) {
	for _, text := range []string{"", "Un message sécurisé vous attend."} {
		prog := compile(t, policy(rule("Avis", nil, notifyAction("dr.martin.perso@gmail.com", text, nil))), Options{})
		for _, tag := range []string{"Q7X1", "ZZ93", "k4Pw"} {
			d := deliver(markedMessage(t, tag))
			d.EnvelopeFrom = "ENVFROM" + tag + "@chu-nantes.mssante.fr"
			res := eval(prog, d)
			require.Empty(t, res.Errors)
			require.Len(t, res.Notices, 1)
			n := res.Notices[0]
			require.Equal(t, "", n.EnvelopeFrom())
			require.Equal(t, "dr.martin.perso@gmail.com", n.To())
			raw := n.Bytes()
			decoded, err := message.Parse(raw, message.Options{})
			require.NoError(t, err)
			body := strings.Join(decoded.BodyText(), "\n")
			for _, m := range markers {
				require.NotContains(t, strings.ToLower(string(raw)), strings.ToLower(m+tag), "marker %s in the notice bytes", m)
				require.NotContains(t, strings.ToLower(body), strings.ToLower(m+tag), "marker %s in the decoded notice", m)
			}
			require.Contains(t, string(raw), "\r\nAuto-Submitted: auto-notified\r\n")
			want := text
			if want == "" {
				want = notice.DefaultText
			}
			require.Equal(t, strings.TrimSpace(want), strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n")))
			require.Equal(t, []string{notice.Subject}, decoded.Header("Subject"))
			require.True(t, res.ImplicitKeep, "a notice does not cancel the implicit keep")
		}
	}
}

// TestNoticeIndependentOfMessage is the property behind the test above:
// for a given policy, mailbox and time, the notice bytes are the same
// whatever the message.
func TestNoticeIndependentOfMessage(t *testing.T) {
	prog := compile(t, policy(rule("Avis", nil, notifyAction("dr.martin.perso@gmail.com", "Nouveau message.", nil))), Options{})
	var first []byte
	for i, m := range []*message.Message{
		markedMessage(t, "A1"),
		simpleMsg(t, "dr.martin@chu-nantes.mssante.fr", "autre sujet"),
		parseMsg(t, "Subject: \n\n"),
	} {
		res := eval(prog, deliver(m))
		require.Len(t, res.Notices, 1, "message %d", i)
		if first == nil {
			first = res.Notices[0].Bytes()
			continue
		}
		require.Equal(t, string(first), string(res.Notices[0].Bytes()), "message %d", i)
	}
}

// FuzzNoticeIndependentOfMessage checks the property on arbitrary
// subjects, senders and bodies.
func FuzzNoticeIndependentOfMessage(f *testing.F) {
	f.Add("Résultats de M. Dupont", "dr.x@chu.mssante.fr", "corps\n${subject}")
	f.Add("", "", "")
	f.Add("=?utf-8?b?w6k=?=", "\"A\" <a@b>", "\r\n.\r\n")
	prog, diags := Compile(context.Background(), policy(rule("Avis", nil, notifyAction("dr.martin.perso@gmail.com", "", nil))), Options{})
	if diags.HasErrors() {
		f.Fatal(diags)
	}
	ref := eval(prog, deliver(parseMsgF(f, "Subject: x\n\nx\n")))
	if len(ref.Notices) != 1 {
		f.Fatal("no reference notice")
	}
	want := ref.Notices[0].Bytes()
	f.Fuzz(func(t *testing.T, subject, from, body string) {
		raw := "From: " + oneLine(from) + "\nSubject: " + oneLine(subject) + "\n\n" + body
		m, err := message.Parse([]byte(raw), message.Options{})
		if err != nil || len(m.Problems()) > 0 {
			return // not filtered: kept, nothing sent
		}
		res := eval(prog, deliver(m))
		if len(res.Errors) > 0 {
			require.Empty(t, res.Notices)
			return
		}
		require.Len(t, res.Notices, 1)
		require.True(t, bytes.Equal(want, res.Notices[0].Bytes()), "notice differs for subject %q from %q body %q", subject, from, body)
	})
}

func parseMsgF(f *testing.F, raw string) *message.Message {
	m, err := message.Parse([]byte(raw), message.Options{})
	if err != nil {
		f.Fatal(err)
	}
	return m
}

func oneLine(s string) string { return strings.NewReplacer("\r", " ", "\n", " ").Replace(s) }

func TestNoticeRateLimit(t *testing.T) {
	hour := &rules.Period{Amount: 1, Unit: rules.Hours}
	prog := compile(t, policy(rule("Avis", nil, notifyAction("dr.martin.perso@gmail.com", "", hour))), Options{})
	d := deliver(simpleMsg(t, "dr.martin@chu-nantes.mssante.fr", "a"))
	res := eval(prog, d)
	require.Len(t, res.Notices, 1)
	require.Equal(t, time.Hour, res.Notices[0].Limit)

	d.Time = d.Time.Add(59 * time.Minute)
	res = eval(prog, d)
	require.Empty(t, res.Notices)
	require.Len(t, res.HeldNotices, 1)
	require.Equal(t, "rate-limited", res.HeldNotices[0].Code)
	require.Contains(t, res.Summary(), `no notice to "dr.martin.perso@gmail.com": rate-limited`)
	require.True(t, res.ImplicitKeep)

	d.Time = d.Time.Add(time.Minute)
	require.Len(t, eval(prog, d).Notices, 1)
}

func TestNoticeMergedAndBesideOtherActions(t *testing.T) {
	prog := compile(t, policy(
		rule("Avis", nil, notifyAction("dr.martin.perso@gmail.com", "", nil), notifyAction("Dr.Martin.Perso@GMAIL.com", "", nil)),
		rule("Rejet", subjectHas("spam"), reject("non")),
		rule("Copie", nil, copyTo("secretariat@chu-nantes.mssante.fr")),
	), Options{})
	res := eval(prog, deliver(simpleMsg(t, "dr.martin@chu-nantes.mssante.fr", "a")))
	require.Len(t, res.Notices, 1, "one notice per address per message")
	require.Equal(t, []ActionKind{ActionNotify, ActionCopy}, kinds(res.Actions))
	require.Contains(t, res.Summary(), `notify "dr.martin.perso@gmail.com"`)

	// A notice is compatible with reject: it says nothing of the message.
	prog = compile(t, policy(rule("Rejet", nil, notifyAction("dr.martin.perso@gmail.com", "", nil), reject("non"))), Options{})
	res = eval(prog, deliver(simpleMsg(t, "dr.martin@chu-nantes.mssante.fr", "a")))
	require.Empty(t, res.Errors)
	require.Equal(t, []ActionKind{ActionNotify, ActionReject}, kinds(res.Actions))
}

func kinds(as []Action) []ActionKind {
	var out []ActionKind
	for _, a := range as {
		out = append(out, a.Kind)
	}
	return out
}

func TestNoticeCompileRefusals(t *testing.T) {
	textAt := func(s string) *rules.Literal {
		l := rules.Literal{Value: s, Range: rules.Range{File: "test.rules",
			Start: rules.Pos{Line: 3, Column: 30, Offset: 100}, End: rules.Pos{Line: 3, Column: 30 + len(s) + 2, Offset: 100 + len(s) + 2}}}
		return &l
	}
	for _, tc := range []struct {
		name string
		n    *rules.Notify
		code rules.Code
		col  int
	}{
		{"subject placeholder", &rules.Notify{Node: pos(), Target: lit("a@gmail.com"), Text: textAt("Objet : ${subject}")}, CodeNoticeMessageData, 30 + 1 + len("Objet : ")},
		{"match variable", &rules.Notify{Node: pos(), Target: lit("a@gmail.com"), Text: textAt("${1}")}, CodeNoticeMessageData, 31},
		{"control character", &rules.Notify{Node: pos(), Target: lit("a@gmail.com"), Text: textAt("a\x1bb")}, CodeInvalidNoticeText, 32},
		{"patient", &rules.Notify{Node: pos(), Target: lit("248000000000057@patient.mssante.fr")}, rules.CodePatientTarget, 0},
		{"self", &rules.Notify{Node: pos(), Target: lit(strings.ToUpper(mailbox))}, rules.CodeSelfTarget, 0},
		{"display name", &rules.Notify{Node: pos(), Target: lit("Dr <a@gmail.com>")}, rules.CodeInvalidAddress, 0},
		{"two addresses", &rules.Notify{Node: pos(), Target: lit("a@gmail.com,b@gmail.com")}, rules.CodeInvalidAddress, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prog, diags := Compile(context.Background(), policy(rule("Avis", nil, tc.n)), Options{Trust: trust(t)})
			require.Nil(t, prog)
			require.Len(t, diags, 1, diags.Error())
			require.Equal(t, tc.code, diags[0].Code)
			if tc.col > 0 {
				require.Equal(t, tc.col, diags[0].Range.Start.Column, diags.Error())
			} else {
				require.Equal(t, tc.n.Target.Range, diags[0].Range)
			}
		})
	}
	// Outside the trust space is what a notice is for.
	compile(t, policy(rule("Avis", nil, notifyAction("dr.martin@orange.fr", "", nil))), Options{})
}

// TestNoticeTextOnlyFromCompile is the structural check: in the engine,
// notice.ParseText and notice.ParseRecipient are called only by the
// compiler's notice method, so no evaluation-time value (a message's
// subject, sender…) can become a notice's text or recipient.
func TestNoticeTextOnlyFromCompile(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	calls := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		require.NoError(t, err)
		f, err := parser.ParseFile(fset, name, src, 0)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			inCompiler := fn.Name.Name == "notice" && fn.Recv != nil && len(fn.Recv.List) == 1 &&
				types(fn.Recv.List[0].Type) == "*compiler"
			ast.Inspect(fn, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == "notice" && (sel.Sel.Name == "ParseText" || sel.Sel.Name == "ParseRecipient") {
					calls++
					require.True(t, inCompiler, "%s: notice.%s outside (*compiler).notice", fset.Position(sel.Pos()), sel.Sel.Name)
				}
				return true
			})
		}
	}
	require.Equal(t, 2, calls, "the compiler's notice method is expected to call ParseRecipient and ParseText once each")
}

func types(e ast.Expr) string {
	if s, ok := e.(*ast.StarExpr); ok {
		if id, ok := s.X.(*ast.Ident); ok {
			return "*" + id.Name
		}
	}
	return ""
}

func TestNoticeFailSafeSendsNothing(t *testing.T) {
	prog := compile(t, policy(rule("Avis", nil, notifyAction("dr.martin.perso@gmail.com", "", nil))), Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := prog.Evaluate(ctx, deliver(simpleMsg(t, "dr.martin@chu-nantes.mssante.fr", "a")))
	require.NotEmpty(t, res.Errors)
	require.Empty(t, res.Notices)
}
